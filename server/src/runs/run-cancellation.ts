import type { DataSource } from 'typeorm';
import { RunEntity } from '../storage/entities/run.entity.js';
import { StepEntity } from '../storage/entities/step.entity.js';
import { appendEvents } from '../storage/event-log.js';
import { finishRunIfDone, type RunOutcome } from './run-completion.js';

/** A run that cannot be cancelled (it does not exist or has ended). */
export class CancellationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CancellationError';
  }
}

/**
 * Cancels a run: steps that have not started are cancelled at once; the run waits in
 * `canceling` while its running steps are aborted through `ctx.signal` (by the process that
 * runs them), and ends as `canceled` when the last one stops.
 */
export async function cancelRun(
  dataSource: DataSource,
  runId: string,
  now: Date,
): Promise<RunOutcome & { running: number }> {
  return dataSource.transaction(async (manager) => {
    const run = await manager
      .getRepository(RunEntity)
      .findOne({ where: { id: runId }, lock: { mode: 'pessimistic_write' } });
    if (!run) throw new CancellationError(`run ${runId} does not exist`);
    if (run.status === 'succeeded' || run.status === 'failed' || run.status === 'canceled') {
      throw new CancellationError(`run ${runId} has already ended (${run.status}); there is nothing to cancel`);
    }
    const result: unknown = await manager.query(
      `UPDATE steps SET status = 'canceled', ended_at = $2, next_attempt_at = NULL, error_message = 'canceled'
        WHERE run_id = $1 AND status IN ('pending', 'queued', 'retry_scheduled') RETURNING id`,
      [runId, now],
    );
    const canceled = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as unknown[];
    const running = await manager.getRepository(StepEntity).countBy({ runId, status: 'running' });
    await manager.update(RunEntity, run.id, { status: 'canceling' });
    await appendEvents(manager, [
      {
        type: 'run.cancel_requested',
        level: 'warn',
        message: `cancel requested: ${canceled.length} step(s) canceled before they started, ${running} running step(s) being aborted`,
        runId,
        data: { canceled: canceled.length, running },
      },
    ]);
    const outcome = await finishRunIfDone(manager, runId, now);
    return { ...outcome, running };
  });
}
