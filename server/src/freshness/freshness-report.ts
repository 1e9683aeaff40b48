import type { EntityManager } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import { describeFreshnessPolicy, type FreshnessPolicy } from '../sdk/freshness.js';
import { evaluateFreshness, type FreshnessStatus } from './freshness-policy.js';
import { readFreshnessStates, readLastMaterializations, UNPARTITIONED } from './freshness-store.js';

/** One asset's freshness, as `GET /api/freshness` and `weir freshness` show it. Times are ISO 8601. */
export interface FreshnessView {
  readonly assetKey: string;
  readonly partitionKey: string;
  /** The policy in a few words, e.g. `maxLag 1d (warn 12h)`. */
  readonly policy: string;
  /** The status now, evaluated from the latest materialization (whether or not a monitor runs). */
  readonly status: FreshnessStatus;
  readonly since: string | null;
  readonly lastMaterializedAt: string | null;
  readonly lagMs: number | null;
  /** The next deadline still ahead. */
  readonly nextDeadline: string | null;
  /** While late: the deadline missed. */
  readonly missedDeadline: string | null;
  /** When the asset last became late (the current breach, if it is late). */
  readonly lastBreachAt: string | null;
}

/**
 * The freshness of every asset that has a policy, in graph order: evaluated at `now` from the
 * latest materializations, with the breach history recorded by the freshness monitor.
 */
export async function freshnessReport(manager: EntityManager, graph: AssetGraph, now: Date): Promise<FreshnessView[]> {
  const policies: Array<[string, FreshnessPolicy]> = [];
  for (const definition of graph.definitions) {
    if (definition.kind === 'asset' && definition.freshness) policies.push([definition.key, definition.freshness]);
  }
  const keys = policies.map(([key]) => key);
  const [lastMaterializations, states] = await Promise.all([
    readLastMaterializations(manager, keys),
    readFreshnessStates(manager, keys),
  ]);
  return policies.map(([assetKey, policy]): FreshnessView => {
    const last = lastMaterializations.get(assetKey) ?? null;
    const evaluation = evaluateFreshness(policy, last, now);
    const stored = states.get(assetKey);
    // The recorded start of the status is the better one when the record agrees (a never
    // materialized asset has no computable start).
    const since = stored?.status === evaluation.status ? stored.since : evaluation.since;
    const lastBreach = evaluation.status === 'late' ? since : (stored?.lastBreachAt ?? null);
    return {
      assetKey,
      partitionKey: UNPARTITIONED,
      policy: describeFreshnessPolicy(policy),
      status: evaluation.status,
      since: iso(since),
      lastMaterializedAt: iso(last),
      lagMs: evaluation.lagMs,
      nextDeadline: iso(evaluation.nextDeadline),
      missedDeadline: iso(evaluation.missedDeadline),
      lastBreachAt: iso(lastBreach),
    };
  });
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
