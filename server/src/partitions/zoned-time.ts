/**
 * Wall-clock arithmetic in IANA time zones with nothing but `Intl` (no dependency): what a
 * clock in a zone reads at an instant, and the instant a wall-clock time begins, daylight-saving
 * changes included. "Naive" times are wall-clock readings encoded as if they were UTC
 * milliseconds, which makes calendar arithmetic (next day, next month) plain integer work.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** True when `timezone` is an IANA zone this runtime knows. */
export function isTimeZone(timezone: string): boolean {
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

/** What a clock in `timezone` reads at `instant`, as naive milliseconds (whole seconds). */
export function wallClock(instant: number, timezone: string): number {
  const seconds = Math.floor(instant / 1000) * 1000;
  if (timezone === 'UTC') return seconds;
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(seconds)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  // Years before 1 AD do not occur in partition math; `era` is not requested.
  return Date.UTC(fields.year!, fields.month! - 1, fields.day!, fields.hour!, fields.minute!, fields.second!);
}

/** The zone's offset from UTC at `instant`, in milliseconds (Paris in summer: +2 h). */
export function offsetAt(instant: number, timezone: string): number {
  return timezone === 'UTC' ? 0 : wallClock(instant, timezone) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time begins in `timezone`: its earliest occurrence when the clock
 * shows it twice (the hour repeated when daylight-saving time ends), and the instant of the
 * change when the clock skips it (the hour lost when it begins). Assumes at most one change of
 * offset within a day of `naive`, which holds for every zone in use.
 */
export function instantOfWallClock(naive: number, timezone: string): number {
  if (timezone === 'UTC') return naive;
  const before = offsetAt(naive - DAY_MS, timezone);
  const after = offsetAt(naive + DAY_MS, timezone);
  if (before === after) return naive - before;
  const early = naive - before;
  const late = naive - after;
  const earlyReads = wallClock(early, timezone) === naive;
  const lateReads = wallClock(late, timezone) === naive;
  if (earlyReads && lateReads) return Math.min(early, late);
  if (earlyReads) return early;
  if (lateReads) return late;
  // Skipped: read with the old offset, the wall-clock time is the instant the clock jumps.
  return early;
}

/** `YYYY-MM-DD` of a naive time. */
export function formatDate(naive: number): string {
  return new Date(naive).toISOString().slice(0, 10);
}
