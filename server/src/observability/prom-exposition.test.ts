import { describe, expect, it } from 'vitest';
import type { MetricFamily } from './metric-families.js';
import { PROMETHEUS_CONTENT_TYPE, renderMetrics } from './prom-exposition.js';
import { foldBuckets } from './sql-histogram.js';

/** The lines of the families named `weir_*` (prom-client's default process metrics follow them). */
async function weirLines(families: readonly MetricFamily[]): Promise<string[]> {
  const text = await renderMetrics(families);
  return text.split('\n').filter((line) => /^(# (HELP|TYPE) )?weir_/.test(line));
}

describe('renderMetrics (prom-client)', () => {
  it('writes HELP and TYPE before the samples of each family, then the default process metrics', async () => {
    const text = await renderMetrics([
      { name: 'weir_up', help: 'Up.', type: 'gauge', samples: [{ value: 1 }] },
      {
        name: 'weir_runs',
        help: 'Runs.',
        type: 'gauge',
        samples: [
          { labels: { status: 'failed' }, value: 2 },
          { labels: { status: 'succeeded' }, value: 10 },
        ],
      },
    ]);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n').filter((line) => /weir_/.test(line))).toEqual([
      '# HELP weir_up Up.',
      '# TYPE weir_up gauge',
      'weir_up 1',
      '# HELP weir_runs Runs.',
      '# TYPE weir_runs gauge',
      'weir_runs{status="failed"} 2',
      'weir_runs{status="succeeded"} 10',
    ]);
    // prom-client's defaults, sampled from this process.
    expect(text).toMatch(/^# TYPE process_cpu_user_seconds_total counter$/m);
    expect(text).toMatch(/^# TYPE nodejs_eventloop_lag_seconds gauge$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(PROMETHEUS_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('escapes backslashes, quotes and newlines in label values, and backslashes and newlines in HELP', async () => {
    expect(
      await weirLines([
        {
          name: 'weir_odd',
          help: 'A "quoted" \\ help\nover two lines.',
          type: 'counter',
          samples: [{ labels: { key: 'a\\b "c"\nd' }, value: 3 }],
        },
      ]),
    ).toEqual([
      '# HELP weir_odd A "quoted" \\\\ help\\nover two lines.',
      '# TYPE weir_odd counter',
      'weir_odd{key="a\\\\b \\"c\\"\\nd"} 3',
    ]);
  });

  it('writes a histogram counted by the database with cumulative buckets, +Inf, _sum and _count', async () => {
    const family: MetricFamily = {
      name: 'weir_step_duration_seconds',
      help: 'Durations.',
      type: 'histogram',
      bounds: [0.5, 1, 5],
      series: [
        { labels: { status: 'succeeded' }, counts: [2, 0, 3, 1], sum: 20.25 },
        { labels: { status: 'failed' }, counts: [0, 0, 0, 0], sum: 0 },
      ],
    };
    expect(await weirLines([family])).toEqual([
      '# HELP weir_step_duration_seconds Durations.',
      '# TYPE weir_step_duration_seconds histogram',
      'weir_step_duration_seconds_bucket{status="succeeded",le="0.5"} 2',
      'weir_step_duration_seconds_bucket{status="succeeded",le="1"} 2',
      'weir_step_duration_seconds_bucket{status="succeeded",le="5"} 5',
      'weir_step_duration_seconds_bucket{status="succeeded",le="+Inf"} 6',
      'weir_step_duration_seconds_sum{status="succeeded"} 20.25',
      'weir_step_duration_seconds_count{status="succeeded"} 6',
      'weir_step_duration_seconds_bucket{status="failed",le="0.5"} 0',
      'weir_step_duration_seconds_bucket{status="failed",le="1"} 0',
      'weir_step_duration_seconds_bucket{status="failed",le="5"} 0',
      'weir_step_duration_seconds_bucket{status="failed",le="+Inf"} 0',
      'weir_step_duration_seconds_sum{status="failed"} 0',
      'weir_step_duration_seconds_count{status="failed"} 0',
    ]);
  });

  it('spells special values the Prometheus way', async () => {
    const samples = [NaN, Infinity, -Infinity, 1.5].map((value, i) => ({ labels: { i: String(i) }, value }));
    expect(await weirLines([{ name: 'weir_v', help: 'x', type: 'gauge', samples }])).toEqual([
      '# HELP weir_v x',
      '# TYPE weir_v gauge',
      'weir_v{i="0"} Nan',
      'weir_v{i="1"} +Inf',
      'weir_v{i="2"} -Inf',
      'weir_v{i="3"} 1.5',
    ]);
  });

  it('refuses invalid names and labels, duplicated families and malformed histograms', async () => {
    const gauge = (name: string, labels?: Record<string, string>): MetricFamily => ({
      name,
      help: 'x',
      type: 'gauge',
      samples: [{ labels, value: 1 }],
    });
    await expect(renderMetrics([gauge('weir-runs')])).rejects.toThrow(/Invalid metric name/);
    await expect(renderMetrics([gauge('weir_runs', { 'bad-label': 'x' })])).rejects.toThrow(/Invalid label name/);
    await expect(renderMetrics([gauge('weir_runs'), gauge('weir_runs')])).rejects.toThrow(/weir_runs is listed twice/);
    const histogram = (bounds: number[], counts: number[], labels?: Record<string, string>): MetricFamily => ({
      name: 'weir_h',
      help: 'x',
      type: 'histogram',
      bounds,
      series: [{ labels, counts, sum: 0 }],
    });
    await expect(renderMetrics([histogram([1, 1], [0, 0, 0])])).rejects.toThrow(/increasing/);
    await expect(renderMetrics([histogram([1, Infinity], [0, 0, 0])])).rejects.toThrow(/finite/);
    await expect(renderMetrics([histogram([1, 2], [0, 0])])).rejects.toThrow(/2 bounds need 3 counts/);
    await expect(renderMetrics([histogram([1], [0, 0], { le: '1' })])).rejects.toThrow(/"le" is reserved/);
  });
});

describe('foldBuckets', () => {
  it('sums rows per label and bucket, keeping a zero series for each expected label', () => {
    const series = foldBuckets(
      'status',
      [1, 10],
      [
        { label: 'succeeded', bucket: '0', n: '3', total: 1.5 },
        { label: 'succeeded', bucket: 2, n: 1, total: '42' },
        { label: 'failed', bucket: 1, n: 2, total: 9 },
      ],
      ['succeeded', 'failed', 'canceled'],
    );
    expect(series).toEqual([
      { labels: { status: 'succeeded' }, counts: [3, 0, 1], sum: 43.5 },
      { labels: { status: 'failed' }, counts: [0, 2, 0], sum: 9 },
      { labels: { status: 'canceled' }, counts: [0, 0, 0], sum: 0 },
    ]);
  });
});
