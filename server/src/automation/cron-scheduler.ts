import type { DataSource } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import { cronConditionsOf, nextCronTick, type CronCondition } from '../sdk/automation.js';
import type { Clock } from '../runs/clock.js';
import { RecurringTimers } from './recurring-timers.js';

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

/** The assets sharing one schedule (same expression, same time zone). */
interface ScheduleGroup {
  readonly condition: CronCondition;
  readonly assets: string[];
}

/**
 * Fires assets' cron schedules: one timer per distinct schedule, set for its next tick (no loop
 * scanning every schedule every few seconds); assets on the same schedule share it. Each tick
 * is handed to the automation service, which evaluates the asset's condition and, for a run,
 * uses the idempotency key `schedule:<asset>:<tick>`: a tick yields at most one run even when
 * two servers fire it during a change of leader. On start it first fires the ticks missed since
 * the last evaluated one (while no server was leading), then waits for the next.
 */
export class CronScheduler {
  private readonly timers: RecurringTimers<ScheduleGroup>;

  constructor(private readonly options: CronSchedulerOptions) {
    this.timers = new RecurringTimers({
      clock: options.clock,
      next: (group, after) => nextCronTick(group.condition, after),
      fire: (key, group, tick) => options.onTick(key, group.condition, tick),
      describe: (key, tick) => `schedule of ${key} at ${tick.toISOString()}`,
      log: options.log,
    });
  }

  async start(): Promise<void> {
    this.timers.open();
    const groups = new Map<string, ScheduleGroup>();
    for (const definition of this.options.graph().definitions) {
      if (definition.kind !== 'asset') continue;
      for (const condition of cronConditionsOf(definition.automation)) {
        const id = scheduleId(condition);
        const group = groups.get(id) ?? { condition, assets: [] };
        group.assets.push(definition.key);
        groups.set(id, group);
      }
    }
    if (groups.size === 0) return;
    const lastTicks = await this.lastTicks();
    const now = this.options.clock.now();
    for (const [id, group] of groups) {
      await this.catchUp(group, lastTicks, now);
      this.timers.armAfter(id, group, now);
    }
  }

  stop(): void {
    this.timers.stop();
  }

  /** Distinct schedules waiting for their next tick. */
  scheduled(): number {
    return this.timers.size;
  }

  /** Fires, for each asset of the group, the ticks between its last evaluated one and now. */
  private async catchUp(group: ScheduleGroup, lastTicks: Map<string, Date>, now: Date): Promise<void> {
    const seen = group.assets
      .map((key) => lastTicks.get(`${key} ${group.condition.expression}`))
      .filter((t): t is Date => !!t);
    if (seen.length === 0) return;
    // The missed ticks are computed once for the group, from the oldest asset's last tick.
    const ticks: Date[] = [];
    let tick = new Date(Math.min(...seen.map((t) => t.getTime())));
    for (let i = 0; i < MAX_CATCH_UP_TICKS * 4; i++) {
      tick = nextCronTick(group.condition, tick);
      if (tick.getTime() > now.getTime()) break;
      ticks.push(tick);
    }
    for (const key of group.assets) {
      const last = lastTicks.get(`${key} ${group.condition.expression}`);
      if (!last) continue;
      for (const missed of ticks.filter((t) => t > last).slice(-MAX_CATCH_UP_TICKS))
        await this.timers.fire(key, group, missed);
    }
  }

  /** The latest tick of every asset's schedules already evaluated (from the decision log), in one query. */
  private async lastTicks(): Promise<Map<string, Date>> {
    const rows: Array<{ asset_key: string; schedule: string; tick: Date | string }> =
      await this.options.dataSource.query(
        `SELECT asset_key, data->'trigger'->>'schedule' AS schedule, max((data->'trigger'->>'tick')::timestamptz) AS tick
         FROM event_log
        WHERE type IN ('automation.requested', 'automation.declined') AND data->'trigger'->>'kind' = 'cron'
        GROUP BY asset_key, data->'trigger'->>'schedule'`,
      );
    return new Map(rows.map((row) => [`${row.asset_key} ${row.schedule}`, new Date(row.tick)]));
  }
}

function scheduleId(condition: CronCondition): string {
  return `${condition.expression}|${condition.timezone}`;
}
