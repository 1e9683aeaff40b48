/** A timer-driven duty of the leading server (cron schedules, freshness deadlines). */
export interface LeaderDuty {
  start(): Promise<void>;
  stop(): void;
  /** Timers waiting to fire; 0 makes the leader loop start the duty again. */
  scheduled(): number;
}

/**
 * Several duties driven as one by the {@link LeaderLoop}: started in order, stopped together.
 * A duty that fails to start does not keep the others from running.
 */
export class LeaderDuties implements LeaderDuty {
  constructor(
    private readonly duties: readonly LeaderDuty[],
    private readonly log: (line: string) => void,
  ) {}

  async start(): Promise<void> {
    for (const duty of this.duties) {
      try {
        await duty.start();
      } catch (error) {
        this.log(`a scheduling duty failed to start: ${(error as Error).message}`);
      }
    }
  }

  stop(): void {
    for (const duty of this.duties) duty.stop();
  }

  scheduled(): number {
    return this.duties.reduce((sum, duty) => sum + duty.scheduled(), 0);
  }
}
