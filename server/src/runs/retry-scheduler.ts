import type { DataSource } from 'typeorm';
import type { CancelTimer, Clock } from './clock.js';
import { requeueDueRetry } from './step-transitions.js';
import type { StepJob } from '../execution/executor.port.js';

/**
 * Wakes steps whose retry falls due. The due time is stored on the step (`next_attempt_at`),
 * so a timer is only a reminder: after a restart, {@link RetryScheduler.arm} is called again for
 * every waiting step and the retry still happens, once (the requeue is conditional on the row).
 */
export class RetryScheduler {
  private readonly timers = new Map<string, CancelTimer>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly dispatch: (job: StepJob) => Promise<void>,
  ) {}

  arm(job: StepJob, at: Date): void {
    this.timers.get(job.stepId)?.();
    this.timers.set(
      job.stepId,
      this.clock.setTimer(at, () => {
        this.timers.delete(job.stepId);
        void this.fire(job).catch((error: unknown) =>
          console.error(`weir: retry of step ${job.stepId} could not be queued:`, error),
        );
      }),
    );
  }

  /** Number of retries waiting for their time. */
  pending(): number {
    return this.timers.size;
  }

  stop(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  private async fire(job: StepJob): Promise<void> {
    const outcome = await this.dataSource.transaction((m) => requeueDueRetry(m, job.stepId, this.clock.now()));
    if (outcome.kind === 'requeued') await this.dispatch(job);
    // Woken before its time (a clock that fires early, or the retry was rescheduled later):
    // the step is still waiting, so wait again rather than leave it to the next reconciliation.
    else if (outcome.kind === 'not-due' && !this.timers.has(job.stepId)) this.arm(job, outcome.at);
  }
}
