import type { WeirEngine } from './weir-engine.js';

/**
 * The reconciliation passes of `weir dev`, the embedded counterpart of the leading server's
 * (see `LeaderLoop`). This process is the only worker, so the database and the in-process
 * executor can only disagree through a bug or a lost timer; a pass every `intervalMs` makes
 * such a step move again instead of leaving its run waiting until the next start.
 */
export class EmbeddedReconcileLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

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
  ) {}

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.pass()
        .catch((error: unknown) => this.options.log(`reconciliation pass failed: ${(error as Error).message}`))
        .finally(() => {
          if (this.stopped) return;
          this.timer = setTimeout(tick, this.options.intervalMs);
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
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
