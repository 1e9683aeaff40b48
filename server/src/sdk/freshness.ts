import { CronExpressionParser } from 'cron-parser';
import { parseDuration, type Duration } from './duration.js';

/**
 * How fresh an asset must stay: {@link maxLag} (a rolling window) or {@link deadline} (by a
 * time of day). Weir tracks its status — `fresh`, `warning`, `late` — and records each change
 * in the event log; alert sinks are told about them.
 */
export type FreshnessPolicy = MaxLagPolicy | DeadlinePolicy;

/** The asset must have been materialized within `maxLag` of now. See {@link maxLag}. */
export interface MaxLagPolicy {
  readonly kind: 'maxLag';
  readonly maxLag: Duration;
  /** Age after which the asset is `warning` (shorter than `maxLag`). */
  readonly warn: Duration | undefined;
}

/**
 * By each cron tick + `maxLag`, the asset must have a materialization newer than the tick.
 * See {@link deadline}.
 */
export interface DeadlinePolicy {
  readonly kind: 'deadline';
  /** Five fields (minute precision) or six (with seconds first). */
  readonly cron: string;
  /** How long after each tick the new materialization may arrive. */
  readonly maxLag: Duration;
  /** Time after each tick from which a missing materialization is `warning` (shorter than `maxLag`). */
  readonly warn: Duration | undefined;
  /** IANA time zone the cron expression is read in, e.g. `'Europe/Paris'`; default UTC. */
  readonly timezone: string;
}

/**
 * The asset must have been materialized within `lag` of now, at any time: with
 * `maxLag('2h', { warn: '90m' })` it is `warning` once its latest materialization is 90 minutes
 * old and `late` at 2 hours. An asset never materialized is `late`.
 *
 * @param lag - e.g. `'2h'`, `'1d'`, `'1h30m'` or milliseconds.
 * @param options.warn - an earlier age at which the asset is `warning`; shorter than `lag`.
 * An invalid duration, or `warn` not shorter than `lag`, fails `asset()` naming the asset.
 */
export function maxLag(lag: Duration, options: { warn?: Duration } = {}): MaxLagPolicy {
  return Object.freeze({ kind: 'maxLag' as const, maxLag: lag, warn: options.warn });
}

/**
 * The asset must be refreshed after each tick of a cron schedule, within `maxLag` of it:
 * `deadline({ cron: '0 9 * * *', maxLag: '30m', timezone: 'Europe/Paris' })` wants, every day by
 * 09:30 Paris time, a materialization made after 09:00 (daylight-saving changes included;
 * `maxLag` and `warn` are elapsed time). It is `warning` from tick + `warn` and `late` from
 * tick + `maxLag` until such a materialization exists. An asset never materialized is `late`.
 * An expression that does not parse, an unknown time zone or an invalid duration fails
 * `asset()` naming the asset.
 */
export function deadline(options: {
  readonly cron: string;
  readonly maxLag: Duration;
  readonly warn?: Duration;
  readonly timezone?: string;
}): DeadlinePolicy {
  return Object.freeze({
    kind: 'deadline' as const,
    cron: options.cron,
    maxLag: options.maxLag,
    warn: options.warn,
    timezone: options.timezone ?? 'UTC',
  });
}

/** What is wrong with a freshness policy, or `undefined` (`asset()` names the asset). */
export function freshnessProblem(policy: unknown): string | undefined {
  const candidate = policy as Partial<MaxLagPolicy> | Partial<DeadlinePolicy> | null;
  if (candidate?.kind !== 'maxLag' && candidate?.kind !== 'deadline') {
    return "expected a policy such as maxLag('2h') or deadline({ cron: '0 9 * * *', maxLag: '30m' })";
  }
  const lagMs = durationMs(candidate.maxLag);
  if (typeof lagMs === 'string') return `maxLag: ${lagMs}`;
  if (lagMs <= 0) return 'maxLag must be longer than 0';
  if (candidate.warn !== undefined) {
    const warnMs = durationMs(candidate.warn);
    if (typeof warnMs === 'string') return `warn: ${warnMs}`;
    if (warnMs <= 0) return 'warn must be longer than 0';
    if (warnMs >= lagMs) {
      return `warn (${String(candidate.warn)}) must be shorter than maxLag (${String(candidate.maxLag)})`;
    }
  }
  if (candidate.kind === 'deadline') {
    const { cron, timezone } = candidate;
    if (typeof cron !== 'string') return 'deadline needs a cron expression';
    if (typeof timezone !== 'string' || !isTimeZone(timezone)) {
      return `unknown time zone ${JSON.stringify(timezone)} in deadline({ cron: '${cron}' })`;
    }
    try {
      CronExpressionParser.parse(cron, { tz: timezone });
    } catch (error) {
      return `cron expression '${cron}' does not parse: ${(error as Error).message}`;
    }
  }
  return undefined;
}

/** The policy in a few words, e.g. `maxLag 2h (warn 90m)` or `deadline '0 9 * * *' UTC +30m`. */
export function describeFreshnessPolicy(policy: FreshnessPolicy): string {
  const warn = policy.warn === undefined ? '' : ` (warn ${shown(policy.warn)})`;
  if (policy.kind === 'maxLag') return `maxLag ${shown(policy.maxLag)}${warn}`;
  return `deadline '${policy.cron}' ${policy.timezone} +${shown(policy.maxLag)}${warn}`;
}

function shown(value: Duration): string {
  return typeof value === 'number' ? `${value}ms` : value;
}

function durationMs(value: unknown): number | string {
  if (typeof value !== 'number' && typeof value !== 'string') return `expected a duration such as '2h' or '30m'`;
  try {
    return parseDuration(value);
  } catch (error) {
    return (error as Error).message;
  }
}

function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
