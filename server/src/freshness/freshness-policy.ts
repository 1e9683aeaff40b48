import { parseDuration } from '../sdk/duration.js';
import type { FreshnessPolicy } from '../sdk/freshness.js';
import { CronTicks } from './cron-ticks.js';

/** Where an asset stands against its freshness policy. */
export type FreshnessStatus = 'fresh' | 'warning' | 'late';

/** The outcome of {@link evaluateFreshness}. Times are absolute; durations in milliseconds. */
export interface FreshnessEvaluation {
  readonly status: FreshnessStatus;
  /**
   * When the asset entered this status, given its latest materialization: the materialization
   * time when fresh, the warning or missed deadline otherwise. Null when never materialized.
   */
  readonly since: Date | null;
  /** When late: the deadline that was missed (the first one not met). Otherwise null. */
  readonly missedDeadline: Date | null;
  /** The next deadline still ahead: the one the current data must meet, or after a miss the next one. */
  readonly nextDeadline: Date | null;
  /** Age of the latest materialization at `now`; null when never materialized. */
  readonly lagMs: number | null;
  /** When the status would next change if nothing is materialized; null when late (only a materialization changes it). */
  readonly nextChangeAt: Date | null;
}

interface CompiledPolicy {
  readonly lagMs: number;
  readonly warnMs: number | undefined;
  readonly ticks: CronTicks | undefined;
}

const compiledPolicies = new WeakMap<FreshnessPolicy, CompiledPolicy>();
// Shared by every policy on the same schedule, so their cached ticks are too.
const ticksBySchedule = new Map<string, CronTicks>();

/**
 * Evaluates a freshness policy at `now` for an asset last materialized at `lastMaterializedAt`
 * (null: never). Pure: the same arguments give the same result (a cache of cron ticks aside).
 *
 * - `maxLag`: fresh until `last + warn`, warning until `last + maxLag`, then late.
 * - `deadline`: the first tick at or after `last` is the first one whose requirement is not
 *   met (a materialization must be newer than its tick); warning from that tick + `warn`, late
 *   from that tick + `maxLag`.
 *
 * An asset never materialized is late (there is no data to be fresh); for a deadline policy
 * its missed deadline is the latest one passed.
 */
export function evaluateFreshness(
  policy: FreshnessPolicy,
  lastMaterializedAt: Date | null,
  now: Date,
): FreshnessEvaluation {
  const { lagMs, warnMs, ticks } = compile(policy);
  const nowMs = now.getTime();
  const nextDeadlineAfterNow = ticks ? () => date(ticks.atOrAfter(nowMs - lagMs + 1) + lagMs) : () => null;
  if (lastMaterializedAt === null) {
    const lastTick = ticks?.atOrBefore(nowMs - lagMs) ?? null;
    return {
      status: 'late',
      since: null,
      missedDeadline: lastTick === null ? null : date(lastTick + lagMs),
      nextDeadline: nextDeadlineAfterNow(),
      lagMs: null,
      nextChangeAt: null,
    };
  }
  const lastMs = lastMaterializedAt.getTime();
  // The moment the requirement the current data must meet starts counting.
  const start = ticks ? ticks.atOrAfter(lastMs) : lastMs;
  const lateAt = start + lagMs;
  const warnAt = warnMs === undefined ? undefined : start + warnMs;
  return againstDueTimes(
    nowMs,
    { lateAt, warnAt },
    {
      lagMs: Math.max(0, nowMs - lastMs),
      freshSince: lastMaterializedAt,
      nextDeadlineWhenLate: nextDeadlineAfterNow(),
    },
  );
}

/**
 * The status at `nowMs` of data due by `lateAt` (warning from `warnAt`): late from `lateAt`,
 * warning from `warnAt`, fresh (since `freshSince`) before.
 */
function againstDueTimes(
  nowMs: number,
  due: { lateAt: number; warnAt: number | undefined },
  context: { lagMs: number; freshSince: Date; nextDeadlineWhenLate: Date | null },
): FreshnessEvaluation {
  const { lateAt, warnAt } = due;
  if (nowMs >= lateAt) {
    return {
      status: 'late',
      since: date(lateAt),
      missedDeadline: date(lateAt),
      nextDeadline: context.nextDeadlineWhenLate,
      lagMs: context.lagMs,
      nextChangeAt: null,
    };
  }
  if (warnAt !== undefined && nowMs >= warnAt) {
    return {
      status: 'warning',
      since: date(warnAt),
      missedDeadline: null,
      nextDeadline: date(lateAt),
      lagMs: context.lagMs,
      nextChangeAt: date(lateAt),
    };
  }
  return {
    status: 'fresh',
    since: context.freshSince,
    missedDeadline: null,
    nextDeadline: date(lateAt),
    lagMs: context.lagMs,
    nextChangeAt: date(warnAt ?? lateAt),
  };
}

/**
 * Evaluates a freshness policy at `now` for one time partition whose window ended at
 * `windowEnd`, materialized at `materializedAt` (null: not yet). A partition's data cannot exist
 * before its window ends, so the policy counts from there:
 *
 * - `maxLag`: the partition is due by `windowEnd + maxLag` (warning from `windowEnd + warn`);
 * - `deadline`: it is due by the first tick at or after `windowEnd`, plus `maxLag`.
 *
 * Once materialized, the partition is fresh: its window's data does not age. `lagMs` is how long
 * after the window's end the data came (or, while it has not, how long it has been awaited).
 */
export function evaluatePartitionFreshness(
  policy: FreshnessPolicy,
  windowEnd: Date,
  materializedAt: Date | null,
  now: Date,
): FreshnessEvaluation {
  const { lagMs, warnMs, ticks } = compile(policy);
  const endMs = windowEnd.getTime();
  const start = ticks ? ticks.atOrAfter(endMs) : endMs;
  const lateAt = start + lagMs;
  const warnAt = warnMs === undefined ? undefined : start + warnMs;
  if (materializedAt !== null) {
    return {
      status: 'fresh',
      since: materializedAt,
      missedDeadline: null,
      nextDeadline: null,
      lagMs: Math.max(0, materializedAt.getTime() - endMs),
      nextChangeAt: null,
    };
  }
  const nowMs = now.getTime();
  return againstDueTimes(
    nowMs,
    { lateAt, warnAt },
    {
      lagMs: Math.max(0, nowMs - endMs),
      freshSince: windowEnd,
      nextDeadlineWhenLate: null,
    },
  );
}

function compile(policy: FreshnessPolicy): CompiledPolicy {
  let compiled = compiledPolicies.get(policy);
  if (!compiled) {
    compiled = {
      lagMs: parseDuration(policy.maxLag),
      warnMs: policy.warn === undefined ? undefined : parseDuration(policy.warn),
      ticks: policy.kind === 'deadline' ? ticksFor(policy.cron, policy.timezone) : undefined,
    };
    compiledPolicies.set(policy, compiled);
  }
  return compiled;
}

function ticksFor(cron: string, timezone: string): CronTicks {
  const key = `${timezone}\u0000${cron}`;
  let ticks = ticksBySchedule.get(key);
  if (!ticks) {
    ticks = new CronTicks(cron, timezone);
    ticksBySchedule.set(key, ticks);
  }
  return ticks;
}

function date(ms: number): Date {
  return new Date(ms);
}
