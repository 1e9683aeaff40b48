import type { DataSource } from 'typeorm';

/**
 * Records, every `intervalMs`, that this worker's running attempts are alive. An attempt whose
 * heartbeat stops (its worker was killed or cut off) is declared lost by the reconciler after
 * `WEIR_LOST_AFTER` and retried per its policy. Database time is used on both sides, so clocks
 * of different machines need not agree.
 */
export class AttemptHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly workerId: string,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.beating = this.beat().catch((error: unknown) =>
        console.error('weir: heartbeat failed:', (error as Error).message),
      );
    }, this.intervalMs);
    this.timer.unref();
  }

  async beat(): Promise<void> {
    await this.dataSource.query(
      `UPDATE attempts SET heartbeat_at = now() WHERE worker_id = $1 AND status = 'running'`,
      [this.workerId],
    );
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
  }
}
