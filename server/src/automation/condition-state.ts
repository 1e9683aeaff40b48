import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AnyAsset } from '../sdk/asset.js';
import type { ConditionState, HandledCounts, NodeState } from './condition-tree-types.js';
import { COUNTS_NODE } from './condition-tree-types.js';

type Automated = Pick<AnyAsset, 'key' | 'automation' | 'partitions'>;

/** The per-asset root of a condition's state (a row of `automation_condition_roots`). */
export interface ConditionRoot {
  readonly fingerprint: string;
  readonly partitionsKind: string;
  readonly evaluations: number;
  readonly lastCronTicks: Record<string, string>;
  readonly lastInboxId: number;
}

/**
 * Identifies a condition's structure and the asset's kind of partitioning: a change of either
 * makes the next evaluation an initial one (Dagster resets its "since" latches then too), so
 * switching an asset between unpartitioned and partitioned, or editing its condition, never
 * backfills.
 */
export function conditionFingerprint(definition: Automated): string {
  return createHash('sha256').update(JSON.stringify(definition.automation)).digest('hex').slice(0, 16);
}

export function partitionsKindOf(definition: Automated): string {
  return definition.partitions?.kind ?? 'none';
}

export async function readRoot(manager: EntityManager, assetKey: string): Promise<ConditionRoot | undefined> {
  const rows: Array<{
    fingerprint: string;
    partitions_kind: string;
    evaluations: string | number;
    last_cron_ticks: Record<string, string>;
    cursor: { lastInboxId?: number };
  }> = await manager.query(
    `SELECT fingerprint, partitions_kind, evaluations, last_cron_ticks, cursor
       FROM automation_condition_roots WHERE asset_key = $1`,
    [assetKey],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    fingerprint: row.fingerprint,
    partitionsKind: row.partitions_kind,
    evaluations: Number(row.evaluations),
    lastCronTicks: row.last_cron_ticks ?? {},
    lastInboxId: Number(row.cursor?.lastInboxId ?? 0),
  };
}

/**
 * Starts a condition's state afresh (first evaluation, changed condition or partitioning):
 * forgets its latches and dismisses the inbox events pending for it, which arrived before the
 * condition being initialized could act on them. Dismissed events are consumed (never run, never
 * lost: `dismissed_at` says so). Returns the ids dismissed.
 */
export async function resetConditionState(manager: EntityManager, assetKey: string): Promise<string[]> {
  await manager.query(`DELETE FROM automation_condition_state WHERE asset_key = $1`, [assetKey]);
  const result: unknown[] = await manager.query(
    `UPDATE automation_inbox SET consumed_at = now(), dismissed_at = now()
      WHERE downstream_key = $1 AND consumed_at IS NULL RETURNING id`,
    [assetKey],
  );
  // TypeORM answers an UPDATE … RETURNING with [rows, affected count].
  const rows = (Array.isArray(result[0]) ? result[0] : result) as Array<{ id: string | number }>;
  return rows.map((row) => String(row.id));
}

/** The stored state of the asset's nodes for these partitions (plus the asset-wide `''` rows). */
export async function readConditionState(
  manager: EntityManager,
  assetKey: string,
  partitions: readonly string[],
): Promise<ConditionState> {
  const rows: Array<{
    node_id: string;
    partition_key: string;
    value: Record<string, unknown>;
    since: Date | null;
    reason: string | null;
  }> = await manager.query(
    `SELECT node_id, partition_key, value, since, reason FROM automation_condition_state
        WHERE asset_key = $1 AND partition_key = ANY($2::text[])`,
    [assetKey, [...new Set(['', ...partitions])]],
  );
  const state: ConditionState = new Map();
  for (const row of rows) {
    const byPartition = state.get(row.node_id) ?? new Map<string, NodeState>();
    byPartition.set(row.partition_key, {
      value: row.value ?? {},
      ...(row.since ? { since: new Date(row.since).toISOString() } : {}),
      ...(row.reason ? { reason: row.reason } : {}),
    });
    state.set(row.node_id, byPartition);
  }
  return state;
}

/** How many steps and materializations each partition has had (the "newly requested / updated" cursors). */
export async function readHandledCounts(
  manager: EntityManager,
  assetKey: string,
  partitions: readonly string[],
): Promise<Map<string, HandledCounts>> {
  const rows: Array<{ partition_key: string; steps: string | number; materializations: string | number }> =
    await manager.query(
      `SELECT k.partition_key,
              (SELECT count(*) FROM steps s WHERE s.asset_key = $1 AND s.partition_key = k.partition_key) AS steps,
              (SELECT count(*) FROM materializations m WHERE m.asset_key = $1 AND m.partition_key = k.partition_key) AS materializations
         FROM unnest($2::text[]) AS k(partition_key)`,
      [assetKey, partitions],
    );
  return new Map(
    rows.map((row) => [
      row.partition_key,
      { steps: Number(row.steps), materializations: Number(row.materializations) },
    ]),
  );
}

/**
 * Stores the state after an evaluation: the rows of the evaluated partitions are replaced by
 * `next` (a latch that is no longer true has no row), the counts are remembered, and the root
 * records this evaluation.
 */
export async function writeConditionState(
  manager: EntityManager,
  definition: Automated,
  evaluated: readonly string[],
  next: ConditionState,
  counts: ReadonlyMap<string, HandledCounts>,
  root: { evaluatedAt: Date; lastCronTicks: Record<string, string>; lastInboxId: number },
): Promise<void> {
  const rows: Array<[string, string, string, string | null, string | null]> = [];
  for (const [nodeId, byPartition] of next)
    for (const [partition, state] of byPartition)
      rows.push([nodeId, partition, JSON.stringify(state.value), state.since ?? null, state.reason ?? null]);
  for (const [partition, c] of counts) rows.push([COUNTS_NODE, partition, JSON.stringify(c), null, null]);
  // The asset-wide rows ('') are replaced only when rewritten: an evaluation of no partition
  // keeps e.g. the code version cursor of a partitioned asset.
  const assetWide = rows.some((row) => row[1] === '' && row[0] !== COUNTS_NODE);
  const partitions = [...new Set([...(assetWide ? [''] : []), ...evaluated])];
  await manager.query(
    `DELETE FROM automation_condition_state WHERE asset_key = $1 AND partition_key = ANY($2::text[])`,
    [definition.key, partitions],
  );
  if (rows.length > 0) {
    await manager.query(
      `INSERT INTO automation_condition_state (asset_key, node_id, partition_key, value, since, reason)
       SELECT $1, n, p, v::jsonb, s::timestamptz, r
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(n, p, v, s, r)
       ON CONFLICT (asset_key, node_id, partition_key) DO UPDATE SET value = EXCLUDED.value,
         since = EXCLUDED.since, reason = EXCLUDED.reason`,
      [definition.key, ...[0, 1, 2, 3, 4].map((i) => rows.map((row) => row[i]))],
    );
  }
  await manager.query(
    `INSERT INTO automation_condition_roots
       (asset_key, fingerprint, partitions_kind, evaluations, last_evaluated_at, last_cron_ticks, cursor)
     VALUES ($1, $2, $3, 1, $4, $5, $6)
     ON CONFLICT (asset_key) DO UPDATE SET
       evaluations = CASE WHEN automation_condition_roots.fingerprint = EXCLUDED.fingerprint
                           AND automation_condition_roots.partitions_kind = EXCLUDED.partitions_kind
                          THEN automation_condition_roots.evaluations + 1 ELSE 1 END,
       fingerprint = EXCLUDED.fingerprint, partitions_kind = EXCLUDED.partitions_kind,
       last_evaluated_at = EXCLUDED.last_evaluated_at, last_cron_ticks = EXCLUDED.last_cron_ticks,
       cursor = EXCLUDED.cursor`,
    [
      definition.key,
      conditionFingerprint(definition),
      partitionsKindOf(definition),
      root.evaluatedAt,
      JSON.stringify(root.lastCronTicks),
      JSON.stringify({ lastInboxId: root.lastInboxId }),
    ],
  );
}
