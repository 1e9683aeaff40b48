import type { HistogramSeries } from './metric-families.js';

/**
 * Histograms bucketed by the database: a query returns one row per (label value, bucket) with
 * the number and sum of its observations, so a scrape reads a few rows however many runs exist.
 */

/** A row of such a query: the label value, the bucket index, how many observations, their sum. */
export interface BucketRow {
  readonly label: string;
  readonly bucket: number | string;
  readonly n: number | string;
  readonly total: number | string | null;
}

/**
 * SQL for the index of the bucket holding `valueSql`: how many bounds lie below it, since a
 * bucket's upper bound is inclusive (`le`). `boundsParam` is the placeholder of a `float8[]`.
 */
export function bucketIndexSql(valueSql: string, boundsParam: string): string {
  return `(SELECT count(*) FROM unnest(${boundsParam}::float8[]) AS b(le) WHERE b.le < ${valueSql})`;
}

/**
 * One series per label value, in the order of `expected` (each present, with zeros, even when
 * nothing was observed, so that series do not come and go) then any other value met.
 */
export function foldBuckets(
  labelName: string,
  bounds: readonly number[],
  rows: readonly BucketRow[],
  expected: readonly string[] = [],
): HistogramSeries[] {
  const byLabel = new Map<string, { counts: number[]; sum: number }>();
  const seriesOf = (label: string) => {
    let series = byLabel.get(label);
    if (!series) byLabel.set(label, (series = { counts: new Array<number>(bounds.length + 1).fill(0), sum: 0 }));
    return series;
  };
  for (const label of expected) seriesOf(label);
  for (const row of rows) {
    const series = seriesOf(row.label);
    const bucket = Math.min(Number(row.bucket), bounds.length);
    series.counts[bucket]! += Number(row.n);
    series.sum += Number(row.total ?? 0);
  }
  return [...byLabel].map(([label, { counts, sum }]) => ({ labels: { [labelName]: label }, counts, sum }));
}
