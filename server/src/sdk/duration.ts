/**
 * A length of time: milliseconds as a number, or a string such as `'500ms'`, `'30s'`, `'5m'`,
 * `'2h'`, `'1d'` (units may be combined: `'1h30m'`).
 */
export type Duration = number | string;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/**
 * Converts a {@link Duration} to milliseconds.
 * @throws Error naming the offending text when it does not parse.
 */
export function parseDuration(value: Duration): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0)
      throw new Error(`invalid duration ${value}: expected a non-negative number of milliseconds`);
    return value;
  }
  const text = value.trim();
  let total = 0;
  let consumed = 0;
  PART.lastIndex = 0;
  for (let match = PART.exec(text); match; match = PART.exec(text)) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    consumed = PART.lastIndex;
  }
  if (text.length === 0 || consumed !== text.length) {
    throw new Error(`invalid duration '${value}': expected e.g. '500ms', '30s', '5m', '2h', '1d' or '1h30m'`);
  }
  return total;
}

/** Formats milliseconds for people: `1.5s`, `2m 5s`, `340ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  if (minutes < 60) return `${minutes}m ${seconds}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}
