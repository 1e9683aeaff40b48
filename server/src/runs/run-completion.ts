import type { DataSource, EntityManager } from 'typeorm';
import type { StepJob } from '../execution/executor.port.js';
import { RunEntity, type RunStatus } from '../storage/entities/run.entity.js';
import { TERMINAL_STEP_STATUSES } from '../storage/entities/step.entity.js';
import { appendEvents } from '../storage/event-log.js';

/** Rows of an `UPDATE … RETURNING` through TypeORM: pg gives `[rows, count]`, PGlite the rows. */
function returnedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

/**
 * Inside the transaction that recorded a step's success: counts the success against each
 * dependent step and returns those now ready (their last upstream just succeeded).
 */
export async function releaseDependents(
  manager: EntityManager,
  dependents: readonly string[],
  runId: string,
): Promise<StepJob[]> {
  if (dependents.length === 0) return [];
  // Row locks taken by the UPDATE serialize two upstreams finishing at once: the second sees
  // the first's decrement, so exactly one of them brings the counter to zero.
  const rows = returnedRows<{ id: string; status: string; attempt_count: number }>(
    await manager.query(
      `UPDATE steps
          SET waiting_on = waiting_on - 1,
              status = CASE WHEN waiting_on = 1 AND status = 'pending' THEN 'queued' ELSE status END,
              queued_at = CASE WHEN waiting_on = 1 AND status = 'pending' THEN now() ELSE queued_at END
        WHERE id = ANY($1::uuid[]) AND run_id = $2
        RETURNING id, status, waiting_on, attempt_count`,
      [dependents, runId],
    ),
  );
  return rows
    .filter((row) => row.status === 'queued')
    .map((row) => ({ runId, stepId: row.id, attempt: row.attempt_count + 1 }));
}

/**
 * First statement of the transaction that records a step's success: a KEY SHARE lock on the
 * run row. Successes do not block one another (they count after their commit, see
 * {@link endRunIfComplete}), but they do wait for a re-evaluation holding the run (a failure's
 * {@link finishRunIfDone}), and it for them. Without it a failure could count the run while a
 * sibling's success was uncommitted, the success count after its commit while the failure's
 * skips were uncommitted, and neither would end the run.
 */
export async function holdRunForStepEnd(manager: EntityManager, runId: string): Promise<void> {
  await manager.query(`SELECT id FROM runs WHERE id = $1 FOR KEY SHARE`, [runId]);
}

/** Whether a run ended, and how. */
export interface RunOutcome {
  readonly finished: boolean;
  readonly status: RunStatus;
}

/**
 * Ends the run when none of its steps is left to run. Called at the end of any transaction
 * that moved a step to a final state. The run row is locked first, so when the last two steps
 * end at once the second transaction waits, then counts with the first one's change visible.
 */
export async function finishRunIfDone(manager: EntityManager, runId: string, now: Date): Promise<RunOutcome> {
  const run = await manager
    .getRepository(RunEntity)
    .findOne({ where: { id: runId }, lock: { mode: 'pessimistic_write' } });
  if (!run) throw new Error(`run ${runId} does not exist`);
  if (run.status === 'succeeded' || run.status === 'failed' || run.status === 'canceled')
    return { finished: true, status: run.status };
  const rows: Array<{ status: string; n: string | number }> = await manager.query(
    `SELECT status, count(*) AS n FROM steps WHERE run_id = $1 GROUP BY status`,
    [runId],
  );
  const counts = Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  const unfinished = Object.entries(counts).some(
    ([status, n]) => n > 0 && !TERMINAL_STEP_STATUSES.includes(status as never),
  );
  if (unfinished) return { finished: false, status: run.status };
  const status: RunStatus =
    run.status === 'canceling'
      ? 'canceled'
      : Object.keys(counts).every((s) => s === 'succeeded')
        ? 'succeeded'
        : 'failed';
  await manager.update(RunEntity, run.id, { status, endedAt: now, startedAt: run.startedAt ?? now });
  await appendEvents(manager, [
    {
      type: `run.${status}`,
      level: status === 'succeeded' ? 'info' : 'error',
      message: `run ${status}: ${Object.entries(counts)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ')}`,
      runId,
      data: counts,
    },
  ]);
  return { finished: true, status };
}

/**
 * Ends the run if none of its steps is left to run; called after a step's success committed.
 * The common case (steps left) is one indexed count without any lock.
 */
export async function endRunIfComplete(dataSource: DataSource, runId: string, now: Date): Promise<boolean> {
  const rows: Array<{ n: string | number }> = await dataSource.query(
    `SELECT count(*) AS n FROM steps WHERE run_id = $1 AND status NOT IN ('succeeded', 'failed', 'skipped', 'canceled')`,
    [runId],
  );
  if (Number(rows[0]?.n) > 0) return false;
  return (await dataSource.transaction((manager) => finishRunIfDone(manager, runId, now))).finished;
}
