import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from './clock.js';
import { RunEntity } from '../storage/entities/run.entity.js';
import { StepEntity, TERMINAL_STEP_STATUSES, type StepStatus } from '../storage/entities/step.entity.js';
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
 * Moves a run forward after any of its steps changed: pending steps whose upstream steps all
 * succeeded become queued (returned for dispatch), those behind a failed step are skipped, and
 * the run ends when every step has. The run row is locked, so concurrent advances of the same
 * run serialize and a step is queued once.
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
        .set({ status: 'queued' })
        .whereInIds(queued.map((s) => s.id))
        .execute();
    }
    if (run.status === 'queued') {
      run.status = 'running';
      run.startedAt = now;
      events.push({ type: 'run.started', message: 'run started', runId });
    }
    const finished = steps.every((step) => TERMINAL_STEP_STATUSES.includes(step.status));
    if (finished) {
      const failed = steps.filter((step) => step.status !== 'succeeded');
      run.status = failed.length === 0 ? 'succeeded' : 'failed';
      run.endedAt = now;
      const counts = countByStatus(steps);
      events.push({
        type: run.status === 'succeeded' ? 'run.succeeded' : 'run.failed',
        level: run.status === 'succeeded' ? 'info' : 'error',
        message: `run ${run.status}: ${Object.entries(counts)
          .map(([status, n]) => `${n} ${status}`)
          .join(', ')}`,
        runId,
        data: counts,
      });
    }
    await manager.update(RunEntity, run.id, { status: run.status, startedAt: run.startedAt, endedAt: run.endedAt });
    await appendEvents(manager, events);
    return { ready: queued.map((step) => ({ runId, stepId: step.id })), finished, status: run.status };
  }
}

function countByStatus(steps: readonly StepEntity[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const step of steps) counts[step.status] = (counts[step.status] ?? 0) + 1;
  return counts;
}
