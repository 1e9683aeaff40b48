/**
 * Runs `pass` again and again, `intervalMs` after the previous pass ended (never two at once);
 * a failed pass is logged and the next one still comes. `stop()` waits for a pass in progress.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly options: {
      intervalMs: number;
      /** Logs a failed pass, e.g. `reconciliation pass failed: …`. */
      onError: (error: Error) => void;
      /** Whether the timer keeps the process alive (default false). */
      ref?: boolean;
    },
  ) {}

  /** The first pass runs at once with `immediate`, otherwise after one interval. */
  start(options: { immediate?: boolean } = {}): void {
    this.stopped = false;
    if (options.immediate) this.tick();
    else this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.stopped) return;
    this.running = this.pass()
      .catch((error: unknown) => this.options.onError(error as Error))
      .finally(() => this.schedule());
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.tick(), this.options.intervalMs);
    if (!this.options.ref) this.timer.unref();
  }
}
