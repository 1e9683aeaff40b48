import { PeriodicTask } from './periodic-task.js';
import type { WeirEngine } from './weir-engine.js';

/**
 * The reconciliation passes of `weir dev`, the embedded counterpart of the leading server's
 * (see `LeaderLoop`). This process is the only worker, so the database and the in-process
 * executor can only disagree through a bug or a lost timer; a pass every `intervalMs` makes
 * such a step move again instead of leaving its run waiting until the next start.
 */
export class EmbeddedReconcileLoop {
  private readonly passes: PeriodicTask;

  constructor(
    private readonly engine: WeirEngine,
    private readonly options: {
      intervalMs: number;
      /** A queued step is only dispatched again once it has waited this long. */
      queuedGraceMs: number;
      log: (line: string) => void;
      /** Runs at the end of each pass (automation's sweep of unevaluated events). */
      eachPass?: () => Promise<unknown>;
    },
  ) {
    this.passes = new PeriodicTask(() => this.pass(), {
      intervalMs: options.intervalMs,
      onError: (error) => options.log(`reconciliation pass failed: ${error.message}`),
    });
  }

  start(): void {
    this.passes.start();
  }

  stop(): Promise<void> {
    return this.passes.stop();
  }

  private async pass(): Promise<void> {
    const report = await this.engine.reconcile(
      { kind: 'not-this-worker', workerId: this.engine.workerId },
      this.options.queuedGraceMs,
    );
    if (report.lost || report.redispatched || report.advanced) {
      this.options.log(
        `reconciled: ${report.lost} lost attempt(s), ${report.redispatched} step(s) dispatched again, ${report.advanced} run(s) moved on`,
      );
    }
    await this.options.eachPass?.();
  }
}
