/**
 * Timestamps in the reader's own time zone and words: "5 min ago", "in 3 h", "Today 14:00",
 * "Tomorrow 09:00", "Tue 21 Nov, 09:00". `now` is passed in so views can tick and tests are stable.
 */
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayAndClock = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

/** "5 min ago" / "in 3 hr" / "now" for an ISO timestamp. */
export function formatRelative(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return iso;
  let value = (then - now) / 1000;
  if (Math.abs(value) < 5) return 'just now';
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return relative.format(Math.round(value), 'year');
}

/** A local wall-clock time: "Today 14:00", "Tomorrow 09:00", "Yesterday 18:30", else "Tue 21 Nov, 09:00". */
export function formatLocalDateTime(iso: string, now: number): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const dayDiff = Math.round((startOfDay(date) - startOfDay(new Date(now))) / 86_400_000);
  if (dayDiff === 0) return `Today ${clock.format(date)}`;
  if (dayDiff === 1) return `Tomorrow ${clock.format(date)}`;
  if (dayDiff === -1) return `Yesterday ${clock.format(date)}`;
  return dayAndClock.format(date);
}

/** The full local date and time, for tooltips. */
export function formatFull(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : full.format(date);
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}
