import type { DataSource } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import { nextCronTick, type CronCondition } from '../sdk/automation.js';
import type { CancelTimer, Clock } from '../runs/clock.js';
import type { RunRequest } from '../runs/run-planner.js';

// A scheduler that was down for a long time runs at most this many missed ticks per asset.
const MAX_CATCH_UP_TICKS = 10;

export interface CronSchedulerOptions {
  readonly dataSource: DataSource;
  readonly graph: () => AssetGraph;
  readonly clock: Clock;
  readonly requestRun: (request: RunRequest) => Promise<unknown>;
  readonly log: (line: string) => void;
}

/**
 * Runs assets on their cron schedules: one timer per schedule, set for its next tick (no loop
 * scanning every schedule every few seconds). Each tick requests a run with the idempotency key
 * `schedule:<asset>:<tick>`, so a tick yields exactly one run even when two servers fire it
 * during a change of leader. On start it first runs the ticks missed since the asset's last
 * scheduled run (while no server was leading), then waits for the next one.
 */
export class CronScheduler {
  private readonly timers = new Map<string, CancelTimer>();
  private running = false;

  constructor(private readonly options: CronSchedulerOptions) {}

  async start(): Promise<void> {
    this.running = true;
    for (const definition of this.options.graph().definitions) {
      if (definition.kind !== 'asset' || definition.automation?.kind !== 'cron') continue;
      await this.startSchedule(definition.key, definition.automation);
    }
  }

  stop(): void {
    this.running = false;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  /** Schedules waiting for their next tick. */
  scheduled(): number {
    return this.timers.size;
  }

  private async startSchedule(key: string, condition: CronCondition): Promise<void> {
    const now = this.options.clock.now();
    let tick = (await this.lastTick(key)) ?? now;
    for (let caughtUp = 0; caughtUp < MAX_CATCH_UP_TICKS; caughtUp++) {
      const next = nextCronTick(condition, tick);
      if (next.getTime() > now.getTime()) break;
      await this.fire(key, condition, next);
      tick = next;
    }
    this.arm(key, condition, nextCronTick(condition, tick.getTime() > now.getTime() ? tick : now));
  }

  private arm(key: string, condition: CronCondition, at: Date): void {
    if (!this.running) return;
    this.timers.set(
      key,
      this.options.clock.setTimer(at, () => {
        void this.fire(key, condition, at).finally(() => this.arm(key, condition, nextCronTick(condition, at)));
      }),
    );
  }

  private async fire(key: string, condition: CronCondition, tick: Date): Promise<void> {
    if (!this.running) return;
    try {
      await this.options.requestRun({
        selection: key,
        trigger: 'schedule',
        triggerDetail: {
          asset: key,
          tick: tick.toISOString(),
          schedule: condition.expression,
          timezone: condition.timezone,
        },
        idempotencyKey: `schedule:${key}:${tick.toISOString()}`,
      });
    } catch (error) {
      this.options.log(
        `schedule of ${key} at ${tick.toISOString()} could not start a run: ${(error as Error).message}`,
      );
    }
  }

  private async lastTick(key: string): Promise<Date | null> {
    const rows: Array<{ tick: Date | string | null }> = await this.options.dataSource.query(
      `SELECT max((trigger_detail->>'tick')::timestamptz) AS tick FROM runs WHERE trigger = 'schedule' AND trigger_detail->>'asset' = $1`,
      [key],
    );
    const tick = rows[0]?.tick;
    return tick ? new Date(tick) : null;
  }
}
