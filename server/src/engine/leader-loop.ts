import type { LeaderDuty } from './leader-duties.js';
import type { LeaderLease } from '../storage/leader-lease.js';
import { PeriodicTask } from './periodic-task.js';
import type { WeirEngine } from './weir-engine.js';

/**
 * The scheduling duties of a `weir server`: every `intervalMs` it tries to lead (one server
 * does at a time). The leader runs its timer-driven duties (cron schedules, freshness
 * deadlines: see `LeaderDuties`) and, each interval, a reconciliation pass: lost attempts,
 * waiting retries, steps whose job the queue lost, stuck runs (then `eachPass`).
 */
export class LeaderLoop {
  private readonly passes: PeriodicTask;

  constructor(
    private readonly engine: WeirEngine,
    private readonly lease: LeaderLease,
    private readonly scheduler: LeaderDuty,
    private readonly options: {
      intervalMs: number;
      lostAfterMs: number;
      log: (line: string) => void;
      /** Runs once each time this server becomes the leader (after the schedules start). */
      onLead?: () => Promise<unknown>;
      /** Runs at the end of each pass while leading (automation's sweep of unevaluated events). */
      eachPass?: () => Promise<unknown>;
    },
  ) {
    this.passes = new PeriodicTask(() => this.tick(), {
      intervalMs: options.intervalMs,
      onError: (error) => options.log(`scheduler pass failed: ${error.message}`),
      ref: true,
    });
  }

  start(): void {
    this.passes.start({ immediate: true });
  }

  async stop(): Promise<void> {
    await this.passes.stop();
    this.scheduler.stop();
    await this.lease.release();
  }

  private async tick(): Promise<void> {
    const wasLeader = this.lease.isLeader;
    if (!(await this.lease.tryAcquire())) {
      if (this.scheduler.scheduled() > 0) this.scheduler.stop();
      return;
    }
    if (!wasLeader || this.scheduler.scheduled() === 0) {
      if (!wasLeader) this.options.log('leading: this server now schedules and reconciles');
      this.scheduler.stop();
      await this.scheduler.start();
      await this.options.onLead?.();
    }
    const report = await this.engine.reconcile(
      { kind: 'stale-heartbeat', afterMs: this.options.lostAfterMs },
      this.options.lostAfterMs,
    );
    if (report.lost || report.redispatched) {
      this.options.log(
        `reconciled: ${report.lost} lost attempt(s) recorded, ${report.redispatched} step(s) dispatched again`,
      );
    }
    await this.options.eachPass?.();
  }
}
