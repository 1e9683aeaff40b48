import { CronExpressionParser } from 'cron-parser';
import {
  allDepsUpdatedSinceCron,
  and,
  anyDepsInProgress,
  anyDepsMissing,
  anyDepsUpdated,
  condition,
  cronTickPassed,
  inLatestTimeWindow,
  inProgress,
  labeled,
  newlyMissing,
  not,
  or,
  type AutomationCondition,
  type ConditionData,
  type UpstreamEventOptions,
} from './automation-conditions.js';

export * from './automation-conditions.js';

/** A cron schedule inside a condition (`cronTickPassed`, `allDepsUpdatedSinceCron`): what the scheduler sets timers for. */
export interface CronCondition {
  /** Five fields (minute precision) or six (with seconds first). */
  readonly expression: string;
  /** IANA time zone the schedule is read in, e.g. `'Europe/Paris'`; default UTC. */
  readonly timezone: string;
}

/**
 * Dagster's `on_cron`: after each tick of the schedule, waits until every dep has been updated
 * since that tick, then materializes the asset once, and not again until the next tick:
 * `inLatestTimeWindow() & cronTickPassed(c).sinceLastHandled() & allDepsUpdatedSinceCron(c)`.
 * An asset without deps runs at the tick. E.g. `onCron('0 6 * * *', { timezone: 'Europe/Paris' })`
 * (daylight-saving changes included). A tick missed while no server was scheduling is evaluated
 * when one is again. An expression that does not parse, or an unknown time zone, fails `asset()`
 * with an error naming the asset and file.
 */
export function onCron(expression: string, options: { timezone?: string } = {}): AutomationCondition {
  const timezone = options.timezone ?? 'UTC';
  return labeled(
    and(
      inLatestTimeWindow(),
      cronTickPassed(expression, { timezone }).sinceLastHandled(),
      allDepsUpdatedSinceCron(expression, { timezone }),
    ),
    `onCron('${expression}'${timezone === 'UTC' ? '' : `, ${timezone}`})`,
  );
}

/**
 * Dagster's `eager`: materializes the asset (its latest time window) when a dep was updated, or
 * it became missing, since it was last handled, as long as no dep is missing or in progress and
 * it is not in progress itself: `inLatestTimeWindow() & (newlyMissing({ newKeys: false }) |
 * anyDepsUpdated()).sinceLastHandled() & ~anyDepsMissing() & ~anyDepsInProgress() & ~inProgress()`.
 */
export function eager(options: UpstreamEventOptions = {}): AutomationCondition {
  return labeled(
    and(
      inLatestTimeWindow(),
      or(newlyMissing({ newKeys: false }), anyDepsUpdated(options)).sinceLastHandled(),
      not(anyDepsMissing()),
      not(anyDepsInProgress()),
      not(inProgress()),
    ),
    options.runPerEvent ? 'eager({ runPerEvent: true })' : 'eager()',
  );
}

/**
 * Materializes the asset once every dep has been updated since it last consumed their events
 * (none in progress, itself not in progress). Weir's own, kept from before the building blocks.
 */
export function allUpstreamsUpdated(options: UpstreamEventOptions = {}): AutomationCondition {
  return labeled(
    and(
      condition({ kind: 'all_deps_updated', runPerEvent: options.runPerEvent ?? false }),
      not(anyDepsInProgress()),
      not(inProgress()),
    ),
    options.runPerEvent ? 'allUpstreamsUpdated({ runPerEvent: true })' : 'allUpstreamsUpdated()',
  );
}

/**
 * Dagster's `on_missing`: materializes an asset (partition) that became missing since it was last
 * handled, once no dep is missing: `inLatestTimeWindow() & missing().newlyTrue().sinceLastHandled()
 * & ~anyDepsMissing()`. What was already missing when the condition was added is never run by it;
 * a time partition whose window ends afterwards, or a static/dynamic key added afterwards, is.
 */
export function onMissing(): AutomationCondition {
  return labeled(and(inLatestTimeWindow(), newlyMissing().sinceLastHandled(), not(anyDepsMissing())), 'onMissing()');
}

/** What is wrong with an automation condition, or `undefined` (`asset()` names the asset). */
export function automationProblem(value: unknown): string | undefined {
  const c = value as (ConditionData & Record<string, unknown>) | null;
  switch (c?.kind) {
    case 'cron_tick_passed':
    case 'all_deps_updated_since_cron': {
      if (typeof c.expression !== 'string' || typeof c.timezone !== 'string')
        return `${c.kind} needs a cron expression`;
      if (!isTimeZone(c.timezone)) return `unknown time zone '${c.timezone}' in onCron('${c.expression}')`;
      try {
        CronExpressionParser.parse(c.expression, { tz: c.timezone });
      } catch (error) {
        return `cron expression '${c.expression}' does not parse: ${(error as Error).message}`;
      }
      return undefined;
    }
    case 'missing':
    case 'newly_missing':
    case 'in_progress':
    case 'initial_evaluation':
    case 'newly_requested':
    case 'newly_updated':
    case 'code_version_changed':
    case 'in_latest_time_window':
    case 'any_deps_updated':
    case 'all_deps_updated':
    case 'any_deps_missing':
    case 'any_deps_in_progress':
      return undefined;
    case 'since':
      return automationProblem(c.trigger) ?? automationProblem(c.reset);
    case 'and':
    case 'or': {
      const list = c.conditions as unknown;
      if (!Array.isArray(list) || list.length === 0) return `${c.kind}() needs at least one condition`;
      for (const inner of list) {
        const problem = automationProblem(inner);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'not':
    case 'newly_true':
      return automationProblem(c.condition);
    default:
      return "expected a condition such as eager(), onCron('0 6 * * *') or and(…)";
  }
}

/** Every node of a condition tree, depth first. */
export function nodesOf(root: ConditionData | undefined): ConditionData[] {
  if (!root) return [];
  switch (root.kind) {
    case 'since':
      return [root, ...nodesOf(root.trigger), ...nodesOf(root.reset)];
    case 'newly_true':
    case 'not':
      return [root, ...nodesOf(root.condition)];
    case 'and':
    case 'or':
      return [root, ...root.conditions.flatMap(nodesOf)];
    default:
      return [root];
  }
}

/** Every distinct cron schedule inside a condition (those the scheduler must set timers for). */
export function cronConditionsOf(root: ConditionData | undefined): CronCondition[] {
  const found = new Map<string, CronCondition>();
  for (const node of nodesOf(root)) {
    if (node.kind === 'cron_tick_passed' || node.kind === 'all_deps_updated_since_cron')
      found.set(`${node.expression}|${node.timezone}`, { expression: node.expression, timezone: node.timezone });
  }
  return [...found.values()];
}

/**
 * Whether a condition reads upstream events (so commits upstream must be delivered to it and
 * evaluate it): dep-update operands, and cron conditions, which wait for their deps after a tick.
 */
export function consumesUpstreamEvents(root: ConditionData | undefined): boolean {
  return nodesOf(root).some(
    (node) =>
      node.kind === 'any_deps_updated' ||
      node.kind === 'all_deps_updated' ||
      node.kind === 'all_deps_updated_since_cron',
  );
}

/**
 * The next tick of a cron schedule strictly after `after`; given a condition (e.g. `onCron(…)`),
 * of its first schedule.
 * @throws Error when the condition has no cron schedule.
 */
export function nextCronTick(schedule: CronCondition | ConditionData, after: Date): Date {
  if (!('expression' in schedule) || 'kind' in schedule) {
    const first = cronConditionsOf(schedule as ConditionData)[0];
    if (!first) throw new Error('nextCronTick(): the condition has no cron schedule');
    schedule = first;
  }
  return CronExpressionParser.parse(schedule.expression, { tz: schedule.timezone, currentDate: after }).next().toDate();
}

function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
