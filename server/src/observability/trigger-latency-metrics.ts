import type { EntityManager } from 'typeorm';
import type { HistogramFamily } from './metric-families.js';
import { bucketIndexSql, foldBuckets, type BucketRow } from './sql-histogram.js';

/** Upper bounds, in seconds: automation reacts in milliseconds unless the asset was busy. */
export const TRIGGER_LATENCY_BOUNDS: readonly number[] = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** Runs created within this window before the scrape are counted. */
export const TRIGGER_LATENCY_WINDOW_SECONDS = 24 * 60 * 60;

/**
 * `weir_trigger_latency_seconds{trigger}`: for runs that automation created in the last 24
 * hours, the time from what triggered them to the run's creation. `upstream` runs: from the
 * latest upstream event they consumed (the one that completed their condition; the events are
 * recorded in the run's trigger detail, so no join is needed). `schedule` runs: from their cron
 * tick. One query on the runs' creation-time index; the window follows the database's clock,
 * which stamps both `created_at` columns.
 */
export async function triggerLatencies(manager: EntityManager): Promise<HistogramFamily> {
  const rows: BucketRow[] = await manager.query(
    `WITH recent AS (
       SELECT id, trigger, trigger_detail, created_at FROM runs
        WHERE created_at >= now() - make_interval(secs => $1) AND trigger IN ('upstream', 'schedule')),
     observed AS (
       SELECT r.trigger, greatest(extract(epoch FROM r.created_at - max((e.value->>'at')::timestamptz)), 0)::float8 AS seconds
         FROM recent r CROSS JOIN LATERAL jsonb_array_elements(
                CASE WHEN jsonb_typeof(r.trigger_detail->'events') = 'array' THEN r.trigger_detail->'events' ELSE '[]'::jsonb END) AS e
        WHERE r.trigger = 'upstream'
        GROUP BY r.id, r.trigger, r.created_at
       UNION ALL
       SELECT r.trigger, greatest(extract(epoch FROM r.created_at - (r.trigger_detail->>'tick')::timestamptz), 0)::float8
         FROM recent r
        WHERE r.trigger = 'schedule' AND r.trigger_detail->>'tick' IS NOT NULL)
     SELECT trigger AS label, ${bucketIndexSql('seconds', '$2')} AS bucket, count(*) AS n, sum(seconds) AS total
       FROM observed GROUP BY 1, 2`,
    [TRIGGER_LATENCY_WINDOW_SECONDS, TRIGGER_LATENCY_BOUNDS],
  );
  return {
    name: 'weir_trigger_latency_seconds',
    help: 'For runs automation created in the last 24 hours (a sliding window, not cumulative): seconds from the triggering upstream event (the latest one consumed) or cron tick to the creation of the run.',
    type: 'histogram',
    bounds: TRIGGER_LATENCY_BOUNDS,
    series: foldBuckets('trigger', TRIGGER_LATENCY_BOUNDS, rows, ['upstream', 'schedule']),
  };
}
