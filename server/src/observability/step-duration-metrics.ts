import type { EntityManager } from 'typeorm';
import type { HistogramFamily } from './metric-families.js';
import { bucketIndexSql, foldBuckets, type BucketRow } from './sql-histogram.js';

/** Upper bounds, in seconds, from sub-second steps to hour-long ones. */
export const STEP_DURATION_BOUNDS: readonly number[] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/** Steps that ended within this window before the scrape are counted. */
export const STEP_DURATION_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The ends a step that ran can have (skipped steps never start). */
const ENDED_STEP_STATUSES = ['succeeded', 'failed', 'canceled'];

/**
 * `weir_step_duration_seconds{status}`: how long steps that ended in the last 24 hours took,
 * from their first attempt's start to their end (retry waits included), bucketed by the
 * database in one query. Both times come from the engine's clock, as `now` does.
 */
export async function stepDurations(manager: EntityManager, now: Date): Promise<HistogramFamily> {
  const since = new Date(now.getTime() - STEP_DURATION_WINDOW_MS);
  const rows: BucketRow[] = await manager.query(
    `WITH observed AS (
       SELECT status, greatest(extract(epoch FROM ended_at - started_at), 0)::float8 AS seconds
         FROM steps
        WHERE ended_at >= $1 AND started_at IS NOT NULL AND status = ANY($2::text[]))
     SELECT status AS label, ${bucketIndexSql('seconds', '$3')} AS bucket, count(*) AS n, sum(seconds) AS total
       FROM observed GROUP BY 1, 2`,
    [since, ENDED_STEP_STATUSES, STEP_DURATION_BOUNDS],
  );
  return {
    name: 'weir_step_duration_seconds',
    help: 'Duration of steps that ended in the last 24 hours (a sliding window, not cumulative), from the start of their first attempt to their end, by final status.',
    type: 'histogram',
    bounds: STEP_DURATION_BOUNDS,
    series: foldBuckets('status', STEP_DURATION_BOUNDS, rows, ENDED_STEP_STATUSES),
  };
}
