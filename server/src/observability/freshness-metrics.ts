import type { FreshnessStatus } from '../freshness/freshness-policy.js';
import type { FreshnessView } from '../freshness/freshness-report.js';
import type { ScalarFamily } from './metric-families.js';

const FRESHNESS_STATUSES: readonly FreshnessStatus[] = ['fresh', 'warning', 'late'];

/** `weir_freshness_assets{status}`: assets with a freshness policy, by their status now. */
export function freshnessAssets(views: readonly FreshnessView[]): ScalarFamily {
  const counts = new Map<string, number>(FRESHNESS_STATUSES.map((status) => [status, 0]));
  for (const view of views) counts.set(view.status, (counts.get(view.status) ?? 0) + 1);
  return {
    name: 'weir_freshness_assets',
    help: 'Assets with a freshness policy, by freshness status evaluated at scrape time.',
    type: 'gauge',
    samples: [...counts].map(([status, value]) => ({ labels: { status }, value })),
  };
}
