import type { CancelTimer, Clock } from '../runs/clock.js';

/** Assets sharing one recurrence (a cron schedule, a time partitioning). */
export interface TimerGroup {
  readonly assets: readonly string[];
}

export interface RecurringTimersOptions<G extends TimerGroup> {
  readonly clock: Clock;
  /** The group's next instant strictly after `after`. */
  readonly next: (group: G, after: Date) => Date;
  /** Handles one asset of the group at `at`; a failure is logged with `describe`, the others still run. */
  readonly fire: (assetKey: string, group: G, at: Date) => Promise<unknown>;
  /** What failed, for the log line, e.g. `schedule of gold/x at <iso>`. */
  readonly describe: (assetKey: string, at: Date) => string;
  readonly log: (line: string) => void;
}

/**
 * One timer per group, set for its next instant (no loop scanning every group every few
 * seconds): when it fires, each asset of the group is handled in turn, then the timer is set for
 * the instant after. What `CronScheduler` does for ticks and `PartitionWindowTimer` for window ends.
 */
export class RecurringTimers<G extends TimerGroup> {
  private readonly timers = new Map<string, CancelTimer>();
  private running = false;

  constructor(private readonly options: RecurringTimersOptions<G>) {}

  /** Arms each group for its next instant after `now`. */
  start(groups: ReadonlyMap<string, G>, now: Date): void {
    this.open();
    for (const [id, group] of groups) this.armAfter(id, group, now);
  }

  /** From now on `fire` handles assets (before any group is armed, e.g. to catch up). */
  open(): void {
    this.running = true;
  }

  /** Sets the group's timer for its next instant after `after`. */
  armAfter(id: string, group: G, after: Date): void {
    this.arm(id, group, this.options.next(group, after));
  }

  stop(): void {
    this.running = false;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  /** Groups waiting for their next instant. */
  get size(): number {
    return this.timers.size;
  }

  /** Handles one asset at `at` (also for catching up missed instants), logging a failure. */
  async fire(assetKey: string, group: G, at: Date): Promise<void> {
    if (!this.running) return;
    try {
      await this.options.fire(assetKey, group, at);
    } catch (error) {
      this.options.log(`${this.options.describe(assetKey, at)} could not be evaluated: ${(error as Error).message}`);
    }
  }

  private arm(id: string, group: G, at: Date): void {
    if (!this.running) return;
    this.timers.set(
      id,
      this.options.clock.setTimer(at, () => {
        void (async () => {
          for (const key of group.assets) await this.fire(key, group, at);
        })().finally(() => this.arm(id, group, this.options.next(group, at)));
      }),
    );
  }
}
