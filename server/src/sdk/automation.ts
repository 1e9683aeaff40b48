import { CronExpressionParser } from 'cron-parser';

/**
 * When Weir materializes an asset by itself. Conditions are evaluated at once when something
 * happens (an upstream commits a materialization or is observed, a cron tick, a deploy), never
 * on a polling tick, and every evaluation is recorded with its reasons.
 */
export type AutomationCondition =
  | CronCondition
  | { readonly kind: 'eager'; readonly runPerEvent: boolean }
  | { readonly kind: 'all_upstreams_updated'; readonly runPerEvent: boolean }
  | { readonly kind: 'missing' }
  | { readonly kind: 'code_version_changed' }
  | { readonly kind: 'and'; readonly conditions: readonly AutomationCondition[] }
  | { readonly kind: 'or'; readonly conditions: readonly AutomationCondition[] }
  | { readonly kind: 'not'; readonly condition: AutomationCondition };

/** Materialize on every tick of a cron schedule. */
export interface CronCondition {
  readonly kind: 'cron';
  /** Five fields (minute precision) or six (with seconds first). */
  readonly expression: string;
  /** IANA time zone the schedule is read in, e.g. `'Europe/Paris'`; default UTC. */
  readonly timezone: string;
}

/** Options of the conditions that consume upstream events. */
export interface UpstreamEventOptions {
  /**
   * `false` (default): all pending upstream events are coalesced into one run, which records
   * which events it consumed. `true`: one run per event.
   */
  readonly runPerEvent?: boolean;
}

/**
 * Materializes the asset on each tick of a cron schedule, e.g. `onCron('0 6 * * *', { timezone:
 * 'Europe/Paris' })` for 06:00 Paris time every day (daylight-saving changes included). A tick
 * missed while no server was scheduling is run once when one is again. An expression that does
 * not parse, or an unknown time zone, fails `asset()` with an error naming the asset and file.
 */
export function onCron(expression: string, options: { timezone?: string } = {}): CronCondition {
  return Object.freeze({ kind: 'cron' as const, expression, timezone: options.timezone ?? 'UTC' });
}

/**
 * Materializes the asset when an upstream was updated since the asset last consumed its
 * events, as long as no upstream is missing (never materialized) or in progress.
 */
export function eager(options: UpstreamEventOptions = {}): AutomationCondition {
  return Object.freeze({ kind: 'eager' as const, runPerEvent: options.runPerEvent ?? false });
}

/** Materializes the asset once every upstream has been updated since it last consumed their events. */
export function allUpstreamsUpdated(options: UpstreamEventOptions = {}): AutomationCondition {
  return Object.freeze({ kind: 'all_upstreams_updated' as const, runPerEvent: options.runPerEvent ?? false });
}

/** True while the asset has never been materialized (evaluated at deploy and on every trigger). */
export function onMissing(): AutomationCondition {
  return Object.freeze({ kind: 'missing' as const });
}

/** True when the asset's `codeVersion` differs from the one its latest materialization recorded. */
export function codeVersionChanged(): AutomationCondition {
  return Object.freeze({ kind: 'code_version_changed' as const });
}

/** True when every condition is. */
export function and(...conditions: AutomationCondition[]): AutomationCondition {
  return Object.freeze({ kind: 'and' as const, conditions: Object.freeze([...conditions]) });
}

/** True when any condition is. */
export function or(...conditions: AutomationCondition[]): AutomationCondition {
  return Object.freeze({ kind: 'or' as const, conditions: Object.freeze([...conditions]) });
}

/** True when the condition is not. */
export function not(condition: AutomationCondition): AutomationCondition {
  return Object.freeze({ kind: 'not' as const, condition });
}

/** What is wrong with an automation condition, or `undefined` (`asset()` names the asset). */
export function automationProblem(condition: unknown): string | undefined {
  const c = condition as { kind?: unknown } | null;
  switch (c?.kind) {
    case 'cron': {
      const cron = c as Partial<CronCondition>;
      if (typeof cron.expression !== 'string' || typeof cron.timezone !== 'string')
        return 'onCron needs a cron expression';
      if (!isTimeZone(cron.timezone)) return `unknown time zone '${cron.timezone}' in onCron('${cron.expression}')`;
      try {
        CronExpressionParser.parse(cron.expression, { tz: cron.timezone });
      } catch (error) {
        return `cron expression '${cron.expression}' does not parse: ${(error as Error).message}`;
      }
      return undefined;
    }
    case 'eager':
    case 'all_upstreams_updated':
    case 'missing':
    case 'code_version_changed':
      return undefined;
    case 'and':
    case 'or': {
      const list = (c as { conditions?: unknown }).conditions;
      if (!Array.isArray(list) || list.length === 0) return `${c.kind}() needs at least one condition`;
      for (const inner of list) {
        const problem = automationProblem(inner);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'not':
      return automationProblem((c as { condition?: unknown }).condition);
    default:
      return "expected a condition such as eager(), onCron('0 6 * * *') or and(…)";
  }
}

/** Every cron schedule inside a condition (those the scheduler must set timers for). */
export function cronConditionsOf(condition: AutomationCondition | undefined): CronCondition[] {
  if (!condition) return [];
  if (condition.kind === 'cron') return [condition];
  if (condition.kind === 'and' || condition.kind === 'or') return condition.conditions.flatMap(cronConditionsOf);
  if (condition.kind === 'not') return cronConditionsOf(condition.condition);
  return [];
}

/** Whether a condition reacts to upstream events (so commits upstream must be delivered to it). */
export function consumesUpstreamEvents(condition: AutomationCondition | undefined): boolean {
  if (!condition) return false;
  if (condition.kind === 'eager' || condition.kind === 'all_upstreams_updated') return true;
  if (condition.kind === 'and' || condition.kind === 'or') return condition.conditions.some(consumesUpstreamEvents);
  if (condition.kind === 'not') return consumesUpstreamEvents(condition.condition);
  return false;
}

/** The next tick of a cron condition strictly after `after`. */
export function nextCronTick(condition: CronCondition, after: Date): Date {
  return CronExpressionParser.parse(condition.expression, { tz: condition.timezone, currentDate: after })
    .next()
    .toDate();
}

function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
