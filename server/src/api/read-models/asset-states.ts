import type { EntityManager } from 'typeorm';
import { computeStaleness } from '../../automation/staleness.js';
import { freshnessReport, type FreshnessView } from '../../freshness/freshness-report.js';
import type { AssetGraph } from '../../graph/asset-graph.js';

/** What the lineage shows for an asset; the order is precedence, most urgent first. */
export const ASSET_STATUSES = ['running', 'failed', 'late', 'never_materialized', 'stale', 'fresh'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

/** An asset's live state as the API shows it. */
export interface AssetState {
  readonly key: string;
  readonly status: AssetStatus;
  readonly running: boolean;
  readonly stale: boolean;
  readonly staleReasons: readonly string[];
  readonly late: boolean;
  readonly lastUpdatedAt: string | null;
  /** Freshness of each partition (one entry, partition '', when unpartitioned); empty without a policy. */
  readonly freshness: readonly FreshnessView[];
}

// Active steps are few (steps_status_idx): filtered by key here, not with a 10k-element ANY.
const ACTIVE_STEP_SQL = `SELECT DISTINCT s.asset_key FROM steps s JOIN runs r ON r.id = s.run_id
  WHERE s.status IN ('pending', 'queued', 'running', 'retry_scheduled')
    AND r.status IN ('queued', 'running', 'canceling')`;

// The latest ended step of each asset, one index probe per key (no scan of all steps).
const LAST_ENDED_STEP_SQL = `SELECT k.key AS asset_key, last.status FROM unnest($1::text[]) AS k(key)
  CROSS JOIN LATERAL (SELECT status FROM steps WHERE asset_key = k.key AND status IN ('succeeded', 'failed')
                      ORDER BY ended_at DESC LIMIT 1) AS last`;

/**
 * The state of the given assets (all when omitted), in a fixed number of queries whatever the
 * number of assets: staleness (2), freshness (2), active steps (1), last ended steps (1).
 */
export async function loadAssetStates(
  manager: EntityManager,
  graph: AssetGraph,
  now: Date,
  keys: readonly string[] = graph.keys,
): Promise<Map<string, AssetState>> {
  const wanted = new Set(keys);
  const [staleness, freshness, active, lastEnded] = await Promise.all([
    computeStaleness(manager, graph),
    freshnessReport(manager, graph, now),
    manager.query(ACTIVE_STEP_SQL) as Promise<Array<{ asset_key: string }>>,
    manager.query(LAST_ENDED_STEP_SQL, [[...wanted]]) as Promise<Array<{ asset_key: string; status: string }>>,
  ]);
  const running = new Set(active.map((row) => row.asset_key));
  const failed = new Set(lastEnded.filter((row) => row.status === 'failed').map((row) => row.asset_key));
  const freshnessByAsset = new Map<string, FreshnessView[]>();
  for (const view of freshness) {
    if (!wanted.has(view.assetKey)) continue;
    freshnessByAsset.set(view.assetKey, [...(freshnessByAsset.get(view.assetKey) ?? []), view]);
  }
  const states = new Map<string, AssetState>();
  for (const entry of staleness) {
    if (!wanted.has(entry.assetKey)) continue;
    const views = freshnessByAsset.get(entry.assetKey) ?? [];
    const late = views.some((view) => view.status === 'late');
    const flags: Record<AssetStatus, boolean> = {
      running: running.has(entry.assetKey),
      failed: failed.has(entry.assetKey),
      late,
      never_materialized: entry.lastUpdatedAt === null,
      stale: entry.stale,
      fresh: true,
    };
    states.set(entry.assetKey, {
      key: entry.assetKey,
      status: ASSET_STATUSES.find((status) => flags[status])!,
      running: flags.running,
      stale: entry.stale,
      staleReasons: entry.reasons,
      late,
      lastUpdatedAt: entry.lastUpdatedAt,
      freshness: views,
    });
  }
  return states;
}
