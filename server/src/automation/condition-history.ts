import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { partitionWindow } from '../partitions/partition-keys.js';
import type { AnyAsset } from '../sdk/asset.js';

type Automated = Pick<AnyAsset, 'key' | 'automation' | 'partitions'>;

/**
 * What an evaluation knows of the earlier evaluations of the same condition, read from the
 * decision log (each decision records the condition's fingerprint and the evaluation time).
 *
 * Interim (issue 14): the durable per-(asset, partition, condition node) latch state described
 * in ISSUE14-NOTES.md replaces this; until then "initial evaluation" and "newly missing since
 * last handled" are derived here, which is exact for `onMissing()` on time partitions and
 * unpartitioned assets.
 */
export interface ConditionHistory {
  readonly fingerprint: string;
  /** When this condition (this structure, this kind of partitioning) was first evaluated; undefined: now is the first time. */
  readonly firstEvaluatedAt: Date | undefined;
}

/**
 * Identifies a condition's structure and the asset's kind of partitioning: a change of either
 * makes the next evaluation an initial one (Dagster resets its "since" latches then too), so
 * switching an asset between unpartitioned and partitioned, or editing its condition, never
 * backfills.
 */
export function conditionFingerprint(definition: Automated): string {
  const shape = JSON.stringify({ condition: definition.automation, partitions: definition.partitions?.kind ?? null });
  return createHash('sha256').update(shape).digest('hex').slice(0, 16);
}

export async function readConditionHistory(manager: EntityManager, definition: Automated): Promise<ConditionHistory> {
  const fingerprint = conditionFingerprint(definition);
  const rows: Array<{ at: string | null }> = await manager.query(
    `SELECT data->>'evaluatedAt' AS at FROM event_log
      WHERE asset_key = $1 AND type IN ('automation.requested', 'automation.declined') AND data->>'condition' = $2
      ORDER BY id LIMIT 1`,
    [definition.key, fingerprint],
  );
  const at = rows[0]?.at;
  return { fingerprint, firstEvaluatedAt: at ? new Date(at) : undefined };
}

/**
 * The partitions among `keys` that are missing *since last handled* in Dagster's sense: each
 * came into existence (its time window ended) after the condition was first evaluated, and no
 * run has been requested for it since (any run with a step of it: a manual one too, so a failed
 * manual run is not run again by automation). Partitions that were already missing when the
 * condition was added are not: adding `onMissing()` never backfills. Static and dynamic keys are
 * never newly missing here yet (which keys existed at the previous evaluation needs the durable
 * latch state).
 */
export async function newlyMissingPartitions(
  manager: EntityManager,
  definition: Automated,
  keys: readonly string[],
  history: ConditionHistory,
): Promise<Set<string>> {
  const partitions = definition.partitions;
  const since = history.firstEvaluatedAt;
  if (!since || partitions?.kind !== 'time' || keys.length === 0) return new Set();
  const appeared = keys.filter((key) => partitionWindow(partitions, key).end > since);
  if (appeared.length === 0) return new Set();
  const handled: Array<{ partition_key: string }> = await manager.query(
    `SELECT DISTINCT partition_key FROM steps WHERE asset_key = $1 AND partition_key = ANY($2::text[])`,
    [definition.key, appeared],
  );
  const done = new Set(handled.map((row) => row.partition_key));
  return new Set(appeared.filter((key) => !done.has(key)));
}
