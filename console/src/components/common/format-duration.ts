/**
 * Durations in words people read at a glance: 850ms, 3.2s, 2m 05s, 2h 10m, 3d 4h.
 * Two units at most: "2h 10m" is easier to compare across rows than "2h 10m 33s".
 */
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `ms` as a short duration; negative values are treated as zero. */
export function formatDuration(ms: number): string {
  const value = Math.max(0, ms);
  if (value < SECOND) return `${Math.round(value)}ms`;
  if (value < 10 * SECOND) return `${(Math.floor(value / 100) / 10).toFixed(1).replace(/\.0$/, '')}s`;
  if (value < MINUTE) return `${Math.floor(value / SECOND)}s`;
  if (value < HOUR) {
    const minutes = Math.floor(value / MINUTE);
    const seconds = Math.floor((value % MINUTE) / SECOND);
    return seconds ? `${minutes}m ${String(seconds).padStart(2, '0')}s` : `${minutes}m`;
  }
  if (value < DAY) {
    const hours = Math.floor(value / HOUR);
    const minutes = Math.floor((value % HOUR) / MINUTE);
    return minutes ? `${hours}h ${minutes}m` : `${hours}h`;
  }
  const days = Math.floor(value / DAY);
  const hours = Math.floor((value % DAY) / HOUR);
  return hours ? `${days}d ${hours}h` : `${days}d`;
}

/** Milliseconds between two ISO timestamps (the second defaults to `now`), or null when unknown. */
export function durationBetween(
  start: string | null | undefined,
  end: string | null | undefined,
  now: number,
): number | null {
  if (!start) return null;
  const from = Date.parse(start);
  const to = end ? Date.parse(end) : now;
  return Number.isNaN(from) || Number.isNaN(to) ? null : Math.max(0, to - from);
}
