import type { EntityManager } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import { describeFreshnessPolicy, type FreshnessPolicy } from '../sdk/freshness.js';
import type { FreshnessStatus } from './freshness-policy.js';
import { readFreshnessStates, readLastBreaches, readLastMaterializations, subjectKey } from './freshness-store.js';
import { evaluateSubject, freshnessSubject, type FreshnessSubject } from './freshness-subject.js';

/** One asset's freshness, as `GET /api/freshness` and `weir freshness` show it. Times are ISO 8601. */
export interface FreshnessView {
  readonly assetKey: string;
  /** For a time-partitioned asset, the partition due now (`''` otherwise, or before the first is due). */
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
 * latest materializations, with the breach history recorded by the freshness monitor. A
 * time-partitioned asset shows the partition due now (see {@link freshnessSubject}); its last
 * breach is the latest of any partition.
 */
export async function freshnessReport(manager: EntityManager, graph: AssetGraph, now: Date): Promise<FreshnessView[]> {
  const targets: Array<{ assetKey: string; policy: FreshnessPolicy; subject: FreshnessSubject }> = [];
  for (const definition of graph.definitions) {
    if (definition.kind === 'asset' && definition.freshness)
      targets.push({
        assetKey: definition.key,
        policy: definition.freshness,
        subject: freshnessSubject(definition.partitions, now),
      });
  }
  const [lastMaterializations, states, breaches] = await Promise.all([
    readLastMaterializations(manager, targets),
    readFreshnessStates(
      manager,
      targets.map(({ assetKey, subject }) => ({ assetKey, partitionKey: subject.partitionKey })),
    ),
    readLastBreaches(
      manager,
      targets.map(({ assetKey }) => assetKey),
    ),
  ]);
  return targets.map(({ assetKey, policy, subject }): FreshnessView => {
    const key = subjectKey(assetKey, subject.partitionKey);
    const last = lastMaterializations.get(key) ?? null;
    const evaluation = evaluateSubject(policy, subject, last, now);
    const stored = states.get(key);
    // The recorded start of the status is the better one when the record agrees (a never
    // materialized asset has no computable start).
    const since = stored?.status === evaluation.status ? stored.since : evaluation.since;
    const lastBreach = evaluation.status === 'late' ? since : (breaches.get(assetKey) ?? null);
    return {
      assetKey,
      partitionKey: subject.partitionKey,
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
