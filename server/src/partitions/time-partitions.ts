import type { Cadence, TimePartitions } from '../sdk/partitions-definition.js';
import { DAY_MS, formatDate, HOUR_MS, instantOfWallClock, offsetAt, wallClock } from './zoned-time.js';

/** A time window: from `start` (included) to `end` (excluded). */
export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
}

// 1970-01-01 was a Thursday: Monday-based weeks are counted from Monday 1969-12-29 (day -3).
const WEEK_EPOCH_DAY = -3;

const KEY_FORMATS: Record<Cadence, RegExp> = {
  hourly: /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/,
  daily: /^(\d{4})-(\d{2})-(\d{2})$/,
  weekly: /^(\d{4})-(\d{2})-(\d{2})$/,
  monthly: /^(\d{4})-(\d{2})$/,
};

/** What a key of each cadence looks like, for messages. */
export const KEY_SHAPES: Record<Cadence, string> = {
  hourly: 'YYYY-MM-DDTHH',
  daily: 'YYYY-MM-DD',
  weekly: 'YYYY-MM-DD (a Monday)',
  monthly: 'YYYY-MM',
};

/**
 * The labels of one cadence, numbered: an ordinal is a calendar position (hours, days, weeks or
 * months since 1970) and is the same in every time zone. Whether a label exists in a zone, and
 * when it begins, is {@link TimeKeySpace}'s business.
 */
const calendar = {
  /** The wall-clock time (naive) at which label `ordinal` begins. */
  startOf(cadence: Cadence, ordinal: number): number {
    switch (cadence) {
      case 'hourly':
        return ordinal * HOUR_MS;
      case 'daily':
        return ordinal * DAY_MS;
      case 'weekly':
        return (ordinal * 7 + WEEK_EPOCH_DAY) * DAY_MS;
      case 'monthly':
        return Date.UTC(Math.floor(ordinal / 12), ((ordinal % 12) + 12) % 12, 1);
    }
  },
  /** The label a wall-clock time (naive) falls in. */
  ordinalAt(cadence: Cadence, naive: number): number {
    switch (cadence) {
      case 'hourly':
        return Math.floor(naive / HOUR_MS);
      case 'daily':
        return Math.floor(naive / DAY_MS);
      case 'weekly':
        return Math.floor((Math.floor(naive / DAY_MS) - WEEK_EPOCH_DAY) / 7);
      case 'monthly': {
        const date = new Date(naive);
        return date.getUTCFullYear() * 12 + date.getUTCMonth();
      }
    }
  },
  format(cadence: Cadence, ordinal: number): string {
    const start = calendar.startOf(cadence, ordinal);
    const iso = new Date(start).toISOString();
    if (cadence === 'hourly') return iso.slice(0, 13);
    if (cadence === 'monthly') return iso.slice(0, 7);
    return formatDate(start);
  },
  /** The ordinal of a key, or undefined when it is not a well-formed key of this cadence. */
  parse(cadence: Cadence, key: string): number | undefined {
    const match = KEY_FORMATS[cadence].exec(key);
    if (!match) return undefined;
    const [year, month, day = 1, hour = 0] = match.slice(1).map(Number) as [number, number, number?, number?];
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23) return undefined;
    const naive = Date.UTC(year, month - 1, day, hour);
    const ordinal = calendar.ordinalAt(cadence, naive);
    // Rejects 2025-02-30 (rolled over to March) and, for weeks, days other than Monday.
    return calendar.format(cadence, ordinal) === key ? ordinal : undefined;
  },
};

/**
 * The partition keys of a time-partitioned asset and their windows, in its time zone.
 *
 * A partition is a wall-clock period: an hourly partition `2025-03-30T01` covers the hour the
 * zone's clocks read 01:xx that day. On the day daylight-saving time begins, the skipped hour
 * has no partition (23 hourly partitions); on the day it ends, the repeated hour is one partition
 * lasting two hours. A daily partition lasts 23 or 25 hours on those days.
 */
export class TimeKeySpace {
  readonly cadence: Cadence;
  readonly timezone: string;
  /** Ordinal of the first partition. */
  readonly first: number;
  /** Ordinal after the last partition when the definition has an `end`. */
  readonly end: number | undefined;
  readonly endOffset: number;

  constructor(definition: TimePartitions) {
    this.cadence = definition.cadence;
    this.timezone = definition.timezone;
    this.endOffset = definition.endOffset;
    const first = parseBoundary(definition.cadence, definition.start);
    if (typeof first === 'string') throw new Error(`start: ${first}`);
    this.first = first;
    if (definition.end !== undefined) {
      const end = parseBoundary(definition.cadence, definition.end);
      if (typeof end === 'string') throw new Error(`end: ${end}`);
      if (end <= first) throw new Error(`end ${definition.end} must come after start ${definition.start}`);
      this.end = end;
    }
  }

  /** The ordinal of a key, or undefined when it is not a well-formed key of this cadence. */
  parse(key: string): number | undefined {
    return calendar.parse(this.cadence, key);
  }

  format(ordinal: number): string {
    return calendar.format(this.cadence, ordinal);
  }

  /** When partition `ordinal` begins (for a label the zone skips: when the next one does). */
  startOf(ordinal: number): number {
    return instantOfWallClock(calendar.startOf(this.cadence, ordinal), this.timezone);
  }

  /** Whether the zone's clocks ever show this label (an hour skipped by a DST change does not exist). */
  exists(ordinal: number): boolean {
    if (this.cadence !== 'hourly' || this.timezone === 'UTC') return true;
    const naive = calendar.startOf(this.cadence, ordinal);
    // No change of offset within a day around it: the common case costs two look-ups.
    if (offsetAt(naive - DAY_MS, this.timezone) === offsetAt(naive + DAY_MS, this.timezone)) return true;
    return this.startOf(ordinal) < this.startOf(ordinal + 1);
  }

  /** The window of partition `ordinal`. */
  windowOf(ordinal: number): TimeWindow {
    return { start: new Date(this.startOf(ordinal)), end: new Date(this.startOf(ordinal + 1)) };
  }

  /** The partition whose window contains `instant` (whether or not it is in the set yet). */
  ordinalAt(instant: number): number {
    return calendar.ordinalAt(this.cadence, wallClock(instant, this.timezone));
  }

  /** The existing partition `steps` partitions after (or, negative, before) `ordinal`. */
  shift(ordinal: number, steps: number): number {
    let current = ordinal;
    const direction = Math.sign(steps);
    for (let left = Math.abs(steps); left > 0; left--) {
      do current += direction;
      while (!this.exists(current));
    }
    return current;
  }

  /**
   * The last partition of the set at `now`: the last complete one (its window ended), moved by
   * the definition's `endOffset` (1 includes the partition in progress), and never past `end`.
   * Undefined while the set is empty (its first partition has not ended yet).
   */
  lastAt(now: Date): number | undefined {
    let last = this.shift(this.ordinalAt(now.getTime()), this.endOffset - 1);
    if (this.end !== undefined && last >= this.end) last = this.shift(this.end, -1);
    return last >= this.first ? last : undefined;
  }

  /** Existing ordinals from `from` to `to`, both included. */
  between(from: number, to: number): number[] {
    const ordinals: number[] = [];
    for (let ordinal = from; ordinal <= to; ordinal++) if (this.exists(ordinal)) ordinals.push(ordinal);
    return ordinals;
  }

  /** Existing ordinals whose windows overlap `[start, end)`. */
  overlapping(start: number, end: number): number[] {
    if (end <= start) return [];
    const from = this.ordinalAt(start);
    const to = this.ordinalAt(end - 1);
    return this.between(from, to).filter((o) => this.startOf(o) < end && this.startOf(o + 1) > start);
  }
}

/** A `start` or `end` of a definition: a key, or a date for hourly and monthly sets. */
function parseBoundary(cadence: Cadence, text: string): number | string {
  if (typeof text !== 'string') return `expected a date such as '2025-01-01' (got ${typeof text})`;
  let ordinal = calendar.parse(cadence, text);
  if (ordinal === undefined && cadence === 'hourly') ordinal = calendar.parse('hourly', `${text}T00`);
  if (ordinal === undefined && cadence === 'monthly') {
    const month = /^(\d{4}-\d{2})-01$/.exec(text);
    if (month) ordinal = calendar.parse('monthly', month[1]!);
  }
  if (ordinal !== undefined) return ordinal;
  if (cadence === 'weekly' && calendar.parse('daily', text) !== undefined) {
    const day = calendar.parse('daily', text)!;
    const monday = calendar.format('weekly', calendar.ordinalAt('weekly', day * DAY_MS));
    return `'${text}' is not a Monday: weekly partitions begin on Mondays (the week of '${text}' begins on '${monday}')`;
  }
  if (cadence === 'monthly' && calendar.parse('daily', text) !== undefined)
    return `'${text}' is not the first day of a month: use '${text.slice(0, 7)}'`;
  return `'${text}' is not a valid ${cadence} boundary: expected ${cadence === 'monthly' ? "'YYYY-MM'" : cadence === 'hourly' ? "'YYYY-MM-DD' or 'YYYY-MM-DDTHH'" : "'YYYY-MM-DD'"}`;
}
