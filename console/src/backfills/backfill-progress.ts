/** How far a backfill has got, in numbers and in words (for the progress bar and screen readers). */
import type { Backfill } from './backfill-queries';

export interface ProgressSegment {
  readonly status: 'succeeded' | 'failed' | 'running' | 'pending';
  /** Share of the whole, 0–100. */
  readonly percent: number;
  readonly count: number;
}

/** The bar's segments, in the order they are drawn; empty ones are left out. */
export function progressSegments(backfill: Pick<Backfill, 'counts' | 'total'>): ProgressSegment[] {
  const order = ['succeeded', 'failed', 'running', 'pending'] as const;
  if (backfill.total === 0) return [];
  return order
    .map((status) => ({
      status,
      count: backfill.counts[status],
      percent: (100 * backfill.counts[status]) / backfill.total,
    }))
    .filter((segment) => segment.count > 0);
}

/** "7 of 10 partitions done: 6 succeeded, 1 failed; 2 running, 1 waiting". */
export function progressInWords(backfill: Pick<Backfill, 'counts' | 'total'>): string {
  const { succeeded, failed, running, pending } = backfill.counts;
  const done = `${succeeded + failed} of ${backfill.total} partitions done: ${succeeded} succeeded${failed ? `, ${failed} failed` : ''}`;
  const left = [running ? `${running} running` : '', pending ? `${pending} waiting` : ''].filter(Boolean).join(', ');
  return left ? `${done}; ${left}` : done;
}
