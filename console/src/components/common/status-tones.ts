/**
 * One colour vocabulary for every status in the console, so "failed" is the same red on the
 * lineage, the runs table and the Gantt timeline.
 *
 * Exports `toneOf(status)` (a {@link StatusTone}) and `labelOf(status)` (plain words).
 * Tones: success = green (fresh, succeeded), warning = amber (stale, due soon, retrying),
 * running = blue, danger = red (failed), late = purple, neutral = grey (never materialized,
 * queued, skipped, canceled).
 */
export type StatusTone = 'success' | 'warning' | 'running' | 'danger' | 'late' | 'neutral';

const TONES: Record<string, StatusTone> = {
  // AssetStatus
  FRESH: 'success',
  STALE: 'warning',
  RUNNING: 'running',
  FAILED: 'danger',
  LATE: 'late',
  NEVER_MATERIALIZED: 'neutral',
  // FreshnessStatus (FRESH and LATE above)
  WARNING: 'warning',
  // RunStatus
  QUEUED: 'neutral',
  CANCELING: 'warning',
  SUCCEEDED: 'success',
  CANCELED: 'neutral',
  // StepStatus
  PENDING: 'neutral',
  RETRY_SCHEDULED: 'warning',
  SKIPPED: 'neutral',
  // AttemptStatus
  LOST: 'danger',
  // PartitionStatus
  MATERIALIZED: 'success',
  MISSING: 'neutral',
};

const LABELS: Record<string, string> = {
  NEVER_MATERIALIZED: 'Never materialized',
  RETRY_SCHEDULED: 'Retry scheduled',
  CANCELING: 'Canceling',
};

/** The colour family of a status value of any Weir enum (unknown values are neutral). */
export function toneOf(status: string): StatusTone {
  return TONES[status.toUpperCase()] ?? 'neutral';
}

/** A status enum value in words: RETRY_SCHEDULED → "Retry scheduled". */
export function labelOf(status: string): string {
  const upper = status.toUpperCase();
  const known = LABELS[upper];
  if (known) return known;
  const words = upper.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
