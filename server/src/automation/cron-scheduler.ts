import type { DataSource } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import { cronConditionsOf, nextCronTick, type CronCondition } from '../sdk/automation.js';
import type { CancelTimer, Clock } from '../runs/clock.js';

// A scheduler that was down for a long time runs at most this many missed ticks per asset.
const MAX_CATCH_UP_TICKS = 10;

export interface CronSchedulerOptions {
  readonly dataSource: DataSource;
  readonly graph: () => AssetGraph;
  readonly clock: Clock;
  /** Evaluates the asset's automation for a tick (the condition decides whether it runs). */
  readonly onTick: (assetKey: string, condition: CronCondition, tick: Date) => Promise<unknown>;
  readonly log: (line: string) => void;
}

/**
 * Fires assets' cron schedules: one timer per schedule, set for its next tick (no loop scanning
 * every schedule every few seconds). Each tick is handed to the automation service, which
 * evaluates the asset's condition and, for a run, uses the idempotency key
 * `schedule:<asset>:<tick>`: a tick yields at most one run even when two servers fire it during
 * a change of leader. On start it first fires the ticks missed since the last evaluated one
 * (while no server was leading), then waits for the next.
 */
export class CronScheduler {
  private readonly timers = new Map<string, CancelTimer>();
  private running = false;

  constructor(private readonly options: CronSchedulerOptions) {}

  async start(): Promise<void> {
    this.running = true;
    for (const definition of this.options.graph().definitions) {
      if (definition.kind !== 'asset') continue;
      for (const condition of cronConditionsOf(definition.automation))
        await this.startSchedule(definition.key, condition);
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
    let tick = (await this.lastTick(key, condition)) ?? now;
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
      `${key} ${condition.expression}`,
      this.options.clock.setTimer(at, () => {
        void this.fire(key, condition, at).finally(() => this.arm(key, condition, nextCronTick(condition, at)));
      }),
    );
  }

  private async fire(key: string, condition: CronCondition, tick: Date): Promise<void> {
    if (!this.running) return;
    try {
      await this.options.onTick(key, condition, tick);
    } catch (error) {
      this.options.log(
        `schedule of ${key} at ${tick.toISOString()} could not be evaluated: ${(error as Error).message}`,
      );
    }
  }

  /** The latest tick of this schedule already evaluated (from the decision log). */
  private async lastTick(key: string, condition: CronCondition): Promise<Date | null> {
    const rows: Array<{ tick: Date | string | null }> = await this.options.dataSource.query(
      `SELECT max((data->'trigger'->>'tick')::timestamptz) AS tick FROM event_log
        WHERE asset_key = $1 AND type IN ('automation.requested', 'automation.declined')
          AND data->'trigger'->>'kind' = 'cron' AND data->'trigger'->>'schedule' = $2`,
      [key, condition.expression],
    );
    const tick = rows[0]?.tick;
    return tick ? new Date(tick) : null;
  }
}
