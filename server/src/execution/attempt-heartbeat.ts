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
    /** Called with this worker's running attempts whose run is being cancelled. */
    private readonly onCanceled: (attemptIds: string[]) => void = () => {},
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
    // The same round trip tells which of these attempts belong to a run being cancelled.
    const result: unknown = await this.dataSource.query(
      `UPDATE attempts a SET heartbeat_at = now() FROM runs r
        WHERE r.id = a.run_id AND a.worker_id = $1 AND a.status = 'running'
        RETURNING a.id, r.status`,
      [this.workerId],
    );
    const rows = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as Array<{
      id: string;
      status: string;
    }>;
    const canceled = rows.filter((row) => row.status === 'canceling').map((row) => row.id);
    if (canceled.length > 0) this.onCanceled(canceled);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
  }
}
