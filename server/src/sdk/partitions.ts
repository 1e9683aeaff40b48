import { TimeKeySpace } from '../partitions/time-partitions.js';
import { isTimeZone } from '../partitions/zoned-time.js';

import type { Cadence, DynamicPartitions, StaticPartitions, TimePartitions } from './partitions-definition.js';
export type {
  Cadence,
  DynamicPartitions,
  PartitionsDefinition,
  StaticPartitions,
  TimePartitions,
} from './partitions-definition.js';

/** Options of the time-partition constructors. */
export interface TimePartitionsOptions {
  /** The first partition, e.g. `'2025-01-01'` (a Monday for weekly, the 1st for monthly). */
  readonly start: string;
  /** IANA time zone the partitions are cut in, e.g. `'Europe/Paris'`; default `'UTC'`. */
  readonly timezone?: string;
  /**
   * Where the set ends relative to now: 0 (default) the last complete partition, 1 also the one
   * in progress, -1 one partition earlier.
   */
  readonly endOffset?: number;
  /** A fixed end: the first partition *not* in the set (excluded), e.g. `'2026-01-01'`. */
  readonly end?: string;
}

function timePartitions(cadence: Cadence, options: TimePartitionsOptions): TimePartitions {
  return Object.freeze({
    kind: 'time' as const,
    cadence,
    start: options?.start,
    end: options?.end,
    timezone: options?.timezone ?? 'UTC',
    endOffset: options?.endOffset ?? 0,
  });
}

/**
 * One partition per day of a time zone, keyed `2025-01-31`, from `start` to the last complete
 * day (a day is complete once it has ended in that zone; on daylight-saving changes it lasts 23
 * or 25 hours).
 *
 * @example
 * ```ts
 * export const dailyOrders = asset({
 *   key: 'gold/daily_orders',
 *   partitions: dailyPartitions({ start: '2025-04-01', timezone: 'Europe/Paris' }),
 *   materialize: (ctx) => loadOrdersOf(ctx.partition!), // ctx.partition is '2025-04-01', …
 * });
 * ```
 * An invalid start, end or time zone fails `asset()` naming the asset and its file.
 */
export function dailyPartitions(options: TimePartitionsOptions): TimePartitions {
  return timePartitions('daily', options);
}

/**
 * One partition per wall-clock hour of a time zone, keyed `2025-01-31T13`. The hour skipped when
 * daylight-saving time begins has no partition; the hour repeated when it ends is one partition
 * of two hours. `start` is `'2025-01-31'` (midnight) or `'2025-01-31T13'`.
 */
export function hourlyPartitions(options: TimePartitionsOptions): TimePartitions {
  return timePartitions('hourly', options);
}

/** One partition per week (Monday to Sunday), keyed by the date of its Monday: `2025-01-27`. `start` must be a Monday. */
export function weeklyPartitions(options: TimePartitionsOptions): TimePartitions {
  return timePartitions('weekly', options);
}

/** One partition per month, keyed `2025-01`. `start` is `'2025-01'` or `'2025-01-01'`. */
export function monthlyPartitions(options: TimePartitionsOptions): TimePartitions {
  return timePartitions('monthly', options);
}

/**
 * A fixed list of partitions, e.g. `staticPartitions(['eu', 'us'])`. Keys are unique, without
 * whitespace, commas or slashes, at most 128 characters.
 */
export function staticPartitions(keys: readonly string[]): StaticPartitions {
  return Object.freeze({ kind: 'static' as const, keys: Object.freeze(Array.isArray(keys) ? [...keys] : keys) });
}

/**
 * Partitions whose keys are added at run time, e.g. one per customer:
 * `dynamicPartitions('customers')`, then `weir partitions add customers acme globex` (or
 * `POST /api/partitions/customers/acme`). Assets naming the same set share its keys.
 */
export function dynamicPartitions(name: string): DynamicPartitions {
  return Object.freeze({ kind: 'dynamic' as const, name });
}

const KEY = /^[^\p{C}\s,/]{1,128}$/u;
const SET_NAME = /^[a-z0-9][a-z0-9_-]*$/i;

/** What is wrong with a partition key, or `undefined`. */
export function partitionKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return `a partition key must be a string (got ${typeof key})`;
  if (!KEY.test(key))
    return `invalid partition key ${JSON.stringify(key)}: use 1 to 128 characters without whitespace, commas or slashes`;
  return undefined;
}

/** What is wrong with a dynamic partition set name, or `undefined`. */
export function partitionSetNameProblem(name: unknown): string | undefined {
  return typeof name === 'string' && SET_NAME.test(name)
    ? undefined
    : `invalid dynamic partition set name ${JSON.stringify(name)}: use letters, digits, '_' and '-', like 'customers'`;
}

/** What is wrong with a partitions definition, or `undefined` (`asset()` names the asset). */
export function partitionsProblem(definition: unknown): string | undefined {
  const candidate = definition as Partial<TimePartitions> | Partial<StaticPartitions> | Partial<DynamicPartitions>;
  switch (candidate?.kind) {
    case 'time': {
      const time = candidate as TimePartitions;
      if (typeof time.timezone !== 'string' || !isTimeZone(time.timezone))
        return `unknown time zone ${JSON.stringify(time.timezone)} in ${time.cadence}Partitions`;
      if (!Number.isInteger(time.endOffset))
        return `endOffset must be an integer (got ${JSON.stringify(time.endOffset)})`;
      try {
        new TimeKeySpace(time);
      } catch (error) {
        return `${time.cadence}Partitions ${(error as Error).message}`;
      }
      return undefined;
    }
    case 'static': {
      const keys = (candidate as StaticPartitions).keys;
      if (!Array.isArray(keys) || keys.length === 0) return 'staticPartitions needs a non-empty list of keys';
      for (const key of keys) {
        const problem = partitionKeyProblem(key);
        if (problem) return `staticPartitions: ${problem}`;
      }
      const duplicate = keys.find((key, i) => keys.indexOf(key) !== i);
      if (duplicate !== undefined) return `staticPartitions lists '${duplicate}' twice`;
      return undefined;
    }
    case 'dynamic':
      return partitionSetNameProblem((candidate as DynamicPartitions).name);
    default:
      return "expected partitions such as dailyPartitions({ start: '2025-01-01' }), staticPartitions(['eu', 'us']) or dynamicPartitions('customers')";
  }
}
