import type { EntityManager } from 'typeorm';

/** A backfill: `queued` until its first partition run starts, then `running` until every partition ended. */
export type BackfillStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';
/** A partition of a backfill: `running` while its run is in flight. */
export type BackfillPartitionStatus = 'pending' | 'running' | 'succeeded' | 'failed';

/** A backfill as the API and CLI show it, without its partitions. */
export interface BackfillSummary {
  readonly id: string;
  readonly selection: string;
  readonly status: BackfillStatus;
  /** How many times its failed partitions were sent back to run (0: never). */
  readonly retries: number;
  readonly maxConcurrentRuns: number;
  readonly createdAt: string;
  readonly endedAt: string | null;
  /** Number of partitions. */
  readonly total: number;
  readonly counts: Readonly<Record<BackfillPartitionStatus, number>>;
}

/** A backfill with the state of each partition, in partition order. */
export interface BackfillView extends BackfillSummary {
  readonly partitions: ReadonlyArray<{
    readonly key: string;
    readonly status: BackfillPartitionStatus;
    readonly runId: string | null;
    readonly error: string | null;
  }>;
}

interface BackfillRow {
  id: string;
  selection: string;
  status: BackfillStatus;
  round: number;
  max_concurrent_runs: number;
  created_at: Date | string;
  ended_at: Date | string | null;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/** Rows of an `UPDATE … RETURNING` through TypeORM: pg gives `[rows, count]`, PGlite the rows. */
function returnedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

/** Writes a backfill and its partitions (all pending), in the caller's transaction. */
export async function insertBackfill(
  manager: EntityManager,
  backfill: { id: string; selection: string; keys: readonly string[]; maxConcurrentRuns: number },
): Promise<void> {
  await manager.query(
    `INSERT INTO backfills (id, selection, partition_keys, status, max_concurrent_runs) VALUES ($1, $2, $3, 'queued', $4)`,
    [backfill.id, backfill.selection, JSON.stringify(backfill.keys), backfill.maxConcurrentRuns],
  );
  await manager.query(
    `INSERT INTO backfill_partitions (backfill_id, partition_key, ordinal, status)
     SELECT $1, k, n, 'pending' FROM unnest($2::text[]) WITH ORDINALITY AS t(k, n)`,
    [backfill.id, backfill.keys],
  );
}

/** A backfill with its partitions, or null. */
export async function readBackfill(manager: EntityManager, id: string): Promise<BackfillView | null> {
  const [summary] = await readSummaries(manager, `WHERE b.id = $1`, [id]);
  if (!summary) return null;
  return { ...summary, partitions: (await readBackfillPartitions(manager, [id])).get(id) ?? [] };
}

/** The partitions of several backfills in one query, each list in partition order. */
export async function readBackfillPartitions(
  manager: EntityManager,
  backfillIds: readonly string[],
): Promise<Map<string, BackfillView['partitions']>> {
  const result = new Map<string, Array<BackfillView['partitions'][number]>>(backfillIds.map((id) => [id, []]));
  if (backfillIds.length === 0) return result;
  const rows: Array<{
    backfill_id: string;
    partition_key: string;
    status: BackfillPartitionStatus;
    run_id: string | null;
    error: string | null;
  }> = await manager.query(
    `SELECT backfill_id, partition_key, status, run_id, error FROM backfill_partitions
      WHERE backfill_id = ANY($1::uuid[]) ORDER BY backfill_id, ordinal`,
    [backfillIds],
  );
  for (const row of rows)
    result
      .get(row.backfill_id)
      ?.push({ key: row.partition_key, status: row.status, runId: row.run_id, error: row.error });
  return result;
}

/** A backfill without its partitions, or null. */
export async function readBackfillSummary(manager: EntityManager, id: string): Promise<BackfillSummary | null> {
  return (await readSummaries(manager, `WHERE b.id = $1`, [id]))[0] ?? null;
}

/** The most recent backfills, newest first. */
export function listBackfills(manager: EntityManager, limit: number): Promise<BackfillSummary[]> {
  return readSummaries(manager, `ORDER BY b.created_at DESC LIMIT $1`, [limit]);
}

async function readSummaries(manager: EntityManager, tail: string, params: unknown[]): Promise<BackfillSummary[]> {
  const rows: Array<BackfillRow & { counts: Record<string, number> | null }> = await manager.query(
    `SELECT b.id, b.selection, b.status, b.round, b.max_concurrent_runs, b.created_at, b.ended_at,
            (SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM backfill_partitions
                WHERE backfill_id = b.id GROUP BY status) c) AS counts
       FROM backfills b ${tail}`,
    params,
  );
  return rows.map((row) => {
    const counts = { pending: 0, running: 0, succeeded: 0, failed: 0, ...(row.counts ?? {}) };
    return {
      id: row.id,
      selection: row.selection,
      status: row.status,
      retries: row.round,
      maxConcurrentRuns: row.max_concurrent_runs,
      createdAt: iso(row.created_at)!,
      endedAt: iso(row.ended_at),
      total: counts.pending + counts.running + counts.succeeded + counts.failed,
      counts,
    };
  });
}

/** Ids of the backfills that have not ended, oldest first. */
export async function unfinishedBackfills(manager: EntityManager): Promise<string[]> {
  const rows: Array<{ id: string }> = await manager.query(
    `SELECT id FROM backfills WHERE status IN ('queued', 'running') ORDER BY created_at`,
  );
  return rows.map((row) => row.id);
}

/** The backfill a run belongs to, if any. */
export async function backfillOfRun(manager: EntityManager, runId: string): Promise<string | undefined> {
  const rows: Array<{ backfill_id: string }> = await manager.query(
    `SELECT backfill_id FROM backfill_partitions WHERE run_id = $1 LIMIT 1`,
    [runId],
  );
  return rows[0]?.backfill_id;
}

/**
 * Moves the running partitions whose run has ended to `succeeded` or `failed` (with the first
 * failed step's error, else how the run ended).
 */
export async function settleEndedPartitions(manager: EntityManager, backfillId: string): Promise<void> {
  await manager.query(
    `UPDATE backfill_partitions p
        SET status = CASE WHEN r.status = 'succeeded' THEN 'succeeded' ELSE 'failed' END,
            error = CASE WHEN r.status = 'succeeded' THEN NULL ELSE coalesce(
              (SELECT s.asset_key || ': ' || s.error_message FROM steps s
                WHERE s.run_id = r.id AND s.status = 'failed' AND s.error_message IS NOT NULL
                ORDER BY s.ordinal LIMIT 1),
              'run ' || r.status) END
       FROM runs r
      WHERE p.backfill_id = $1 AND p.status = 'running' AND r.id = p.run_id
        AND r.status IN ('succeeded', 'failed', 'canceled')`,
    [backfillId],
  );
}

/** A pending partition to launch; `failedRunId` when it is retried (its run re-executes from that failure). */
export interface PartitionToLaunch {
  readonly key: string;
  readonly failedRunId: string | null;
}

/** How many partitions are running, and the next pending ones (at most `limit`), in order. */
export async function partitionsToLaunch(
  manager: EntityManager,
  backfillId: string,
  maxRunning: number,
): Promise<{ running: number; next: PartitionToLaunch[] }> {
  const counted: Array<{ n: number }> = await manager.query(
    `SELECT count(*)::int AS n FROM backfill_partitions WHERE backfill_id = $1 AND status = 'running'`,
    [backfillId],
  );
  const n = counted[0]?.n ?? 0;
  const free = Math.max(0, maxRunning - Number(n));
  if (free === 0) return { running: Number(n), next: [] };
  const rows: Array<{ partition_key: string; failed_run_id: string | null }> = await manager.query(
    `SELECT partition_key, failed_run_id FROM backfill_partitions
      WHERE backfill_id = $1 AND status = 'pending' ORDER BY ordinal LIMIT $2`,
    [backfillId, free],
  );
  return {
    running: Number(n),
    next: rows.map((row) => ({ key: row.partition_key, failedRunId: row.failed_run_id })),
  };
}

/** Raised when a backfill cannot be retried; the message names it and says why. */
export class BackfillRetryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackfillRetryError';
  }
}

/**
 * Sends the failed partitions of a failed backfill back to pending, each remembering the run it
 * failed in, and the backfill back to running with its round counted; in the caller's
 * transaction, under a lock on the backfill. Returns the partitions sent back and the new round.
 * @throws BackfillRetryError when the backfill does not exist or has not failed.
 */
export async function retryFailedPartitions(
  manager: EntityManager,
  backfillId: string,
): Promise<{ keys: string[]; round: number }> {
  const rows: Array<{ status: BackfillStatus; round: number }> = await manager.query(
    `SELECT status, round FROM backfills WHERE id = $1 FOR UPDATE`,
    [backfillId],
  );
  const backfill = rows[0];
  if (!backfill) throw new BackfillRetryError(`no backfill ${backfillId}`);
  if (backfill.status !== 'failed')
    throw new BackfillRetryError(
      `backfill ${backfillId} is ${backfill.status}: only the partitions of a failed backfill can be retried`,
    );
  const retried = returnedRows<{ partition_key: string; ordinal: number }>(
    await manager.query(
      `UPDATE backfill_partitions SET status = 'pending', failed_run_id = run_id, run_id = NULL, error = NULL
        WHERE backfill_id = $1 AND status = 'failed' RETURNING partition_key, ordinal`,
      [backfillId],
    ),
  );
  const round = backfill.round + 1;
  await manager.query(`UPDATE backfills SET status = 'running', ended_at = NULL, round = $2 WHERE id = $1`, [
    backfillId,
    round,
  ]);
  return { keys: retried.sort((a, b) => a.ordinal - b.ordinal).map((row) => row.partition_key), round };
}

/** Records the run of a pending partition; false when it is not pending any more. */
export async function markPartitionRunning(
  manager: EntityManager,
  backfillId: string,
  key: string,
  runId: string,
): Promise<boolean> {
  const rows = returnedRows<{ partition_key: string }>(
    await manager.query(
      `UPDATE backfill_partitions SET status = 'running', run_id = $3, error = NULL
        WHERE backfill_id = $1 AND partition_key = $2 AND status = 'pending' RETURNING partition_key`,
      [backfillId, key, runId],
    ),
  );
  return rows.length > 0;
}

/** A partition whose run could not even be planned (its definition changed): it fails without a run. */
export async function markPartitionFailed(
  manager: EntityManager,
  backfillId: string,
  key: string,
  error: string,
): Promise<void> {
  await manager.query(
    `UPDATE backfill_partitions SET status = 'failed', error = $3 WHERE backfill_id = $1 AND partition_key = $2 AND status = 'pending'`,
    [backfillId, key, error],
  );
}

/** Sets a backfill's status; `ended` also records when it ended. Only a backfill that has not ended changes. */
export async function setBackfillStatus(
  manager: EntityManager,
  backfillId: string,
  status: BackfillStatus,
  endedAt: Date | null,
): Promise<boolean> {
  const rows = returnedRows<{ id: string }>(
    await manager.query(
      `UPDATE backfills SET status = $2, ended_at = $3 WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
      [backfillId, status, endedAt],
    ),
  );
  return rows.length > 0;
}
