import { CronExpressionParser } from 'cron-parser';

/**
 * When Weir materializes an asset by itself. Today: on a cron schedule; conditions on
 * upstream updates come with the automation issue.
 */
export type AutomationCondition = CronCondition;

/** Materialize on every tick of a cron schedule. */
export interface CronCondition {
  readonly kind: 'cron';
  /** Five fields (minute precision) or six (with seconds first). */
  readonly expression: string;
  /** IANA time zone the schedule is read in, e.g. `'Europe/Paris'`; default UTC. */
  readonly timezone: string;
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

/** What is wrong with an automation condition, or `undefined` (`asset()` names the asset). */
export function automationProblem(condition: unknown): string | undefined {
  const cron = condition as Partial<CronCondition> | null;
  if (cron?.kind !== 'cron') return "expected a condition such as onCron('0 6 * * *')";
  if (typeof cron.expression !== 'string' || typeof cron.timezone !== 'string') return 'onCron needs a cron expression';
  if (!isTimeZone(cron.timezone)) return `unknown time zone '${cron.timezone}' in onCron('${cron.expression}')`;
  try {
    CronExpressionParser.parse(cron.expression, { tz: cron.timezone });
  } catch (error) {
    return `cron expression '${cron.expression}' does not parse: ${(error as Error).message}`;
  }
  return undefined;
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
