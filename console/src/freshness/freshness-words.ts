/**
 * The freshness board speaks to stakeholders, not engineers: "On time", "Due soon",
 * "Late by 2h 10m", never FRESH/WARNING/LATE or raw milliseconds.
 */
import { formatDuration } from '../components/common/format-duration';
import type { FreshnessEntry, FreshnessStatus } from './freshness-types';

/** The headline of a row: "On time", "Due soon" or "Late by 2h 10m". */
export function statusInWords(entry: FreshnessEntry, now: number): string {
  if (entry.status === 'FRESH') return 'On time';
  if (entry.status === 'WARNING') return 'Due soon';
  const lateMs = lateBy(entry, now);
  return lateMs === null ? 'Late' : `Late by ${formatDuration(lateMs)}`;
}

/** How long a late asset has been late: since the missed deadline, else since it turned late. */
export function lateBy(entry: FreshnessEntry, now: number): number | null {
  const from = entry.missedDeadline ?? entry.since;
  if (!from) return null;
  const at = Date.parse(from);
  return Number.isNaN(at) ? null : Math.max(0, now - at);
}

/** "2h 10m behind" for the current lag, "Never updated" when there is no data yet. */
export function lagInWords(entry: FreshnessEntry): string {
  if (!entry.lastMaterializedAt) return 'Never updated';
  if (entry.lagMs == null) return '—';
  return `${formatDuration(entry.lagMs)} old`;
}

const RANK: Record<FreshnessStatus, number> = { LATE: 0, WARNING: 1, FRESH: 2 };

/** Late first, then due soon, then on time; within a status the nearest deadline first. */
export function byUrgency(a: FreshnessEntry, b: FreshnessEntry): number {
  return RANK[a.status] - RANK[b.status] || deadline(a) - deadline(b) || a.assetKey.localeCompare(b.assetKey);
}

function deadline(entry: FreshnessEntry): number {
  const at = entry.nextDeadline ? Date.parse(entry.nextDeadline) : NaN;
  return Number.isNaN(at) ? Infinity : at;
}
