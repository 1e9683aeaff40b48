import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from './clock.js';
import { RunEntity } from '../storage/entities/run.entity.js';
import { StepEntity, type StepStatus } from '../storage/entities/step.entity.js';
import { finishRunIfDone } from './run-completion.js';
import { appendEvents, type NewEvent } from '../storage/event-log.js';
import type { StepJob } from '../execution/executor.port.js';

const BLOCKING: readonly StepStatus[] = ['failed', 'skipped', 'canceled'];

/** What one advance of a run decided. */
export interface AdvanceResult {
  readonly ready: readonly StepJob[];
  readonly finished: boolean;
  readonly status: RunEntity['status'];
}

/**
 * Re-evaluates a whole run: pending steps whose upstream steps all succeeded become queued
 * (returned for dispatch), those behind a failed step are skipped, and the run ends when every
 * step has. Used when a run starts, after a step failed for good, and on recovery; a success
 * takes the cheaper path in run-completion.ts. The run row is locked, so concurrent
 * re-evaluations of the same run serialize and a step is queued once.
 */
export class RunCoordinator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  advance(runId: string): Promise<AdvanceResult> {
    return this.dataSource.transaction((manager) => this.advanceIn(manager, runId));
  }

  private async advanceIn(manager: EntityManager, runId: string): Promise<AdvanceResult> {
    const run = await manager
      .getRepository(RunEntity)
      .findOne({ where: { id: runId }, lock: { mode: 'pessimistic_write' } });
    if (!run) throw new Error(`run ${runId} does not exist`);
    if (run.status === 'succeeded' || run.status === 'failed' || run.status === 'canceled') {
      return { ready: [], finished: true, status: run.status };
    }
    // A run being cancelled starts nothing new; it only waits for its running steps.
    if (run.status === 'canceling') return { ready: [], ...(await finishRunIfDone(manager, runId, this.clock.now())) };
    const steps = await manager.getRepository(StepEntity).findBy({ runId });
    const byId = new Map(steps.map((step) => [step.id, step]));
    const now = this.clock.now();
    const events: NewEvent[] = [];
    const queued: StepEntity[] = [];
    const skipped: StepEntity[] = [];
    // Repeat until nothing changes: skipping a step can make its own downstream skippable.
    for (let changed = true; changed;) {
      changed = false;
      for (const step of steps) {
        if (step.status !== 'pending') continue;
        const upstream = step.dependsOn.map((id) => byId.get(id)!);
        const blocker = upstream.find((dep) => BLOCKING.includes(dep.status));
        if (blocker) {
          step.status = 'skipped';
          step.endedAt = now;
          step.errorMessage = `upstream ${blocker.assetKey} ${blocker.status}`;
          skipped.push(step);
          changed = true;
        } else if (upstream.every((dep) => dep.status === 'succeeded')) {
          step.status = 'queued';
          queued.push(step);
          changed = true;
        }
      }
    }
    if (run.status === 'queued') {
      run.status = 'running';
      await manager.update(RunEntity, run.id, { status: 'running', startedAt: now });
      events.push({ type: 'run.started', message: 'run started', runId });
    }
    for (const step of skipped) {
      await manager.update(StepEntity, step.id, { status: 'skipped', endedAt: now, errorMessage: step.errorMessage });
      events.push({
        type: 'step.skipped',
        level: 'warn',
        message: `skipped: ${step.errorMessage}`,
        runId,
        stepId: step.id,
        assetKey: step.assetKey,
      });
    }
    if (queued.length > 0) {
      await manager
        .createQueryBuilder()
        .update(StepEntity)
        .set({ status: 'queued', queuedAt: () => 'now()' })
        .whereInIds(queued.map((s) => s.id))
        .execute();
    }
    await appendEvents(manager, events);
    const outcome = await finishRunIfDone(manager, runId, now);
    return { ready: queued.map((step) => ({ runId, stepId: step.id, attempt: step.attemptCount + 1 })), ...outcome };
  }
}
