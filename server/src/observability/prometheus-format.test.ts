import { describe, expect, it } from 'vitest';
import { escapeLabelValue, formatMetrics, formatValue, type MetricFamily } from './prometheus-format.js';
import { foldBuckets } from './sql-histogram.js';

describe('formatMetrics', () => {
  it('writes HELP and TYPE before the samples of each family, and ends with a newline', () => {
    const text = formatMetrics([
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
    expect(text).toBe(
      [
        '# HELP weir_up Up.',
        '# TYPE weir_up gauge',
        'weir_up 1',
        '# HELP weir_runs Runs.',
        '# TYPE weir_runs gauge',
        'weir_runs{status="failed"} 2',
        'weir_runs{status="succeeded"} 10',
        '',
      ].join('\n'),
    );
  });

  it('escapes backslashes, quotes and newlines in label values, and backslashes and newlines in HELP', () => {
    const text = formatMetrics([
      {
        name: 'weir_odd',
        help: 'A "quoted" \\ help\nover two lines.',
        type: 'counter',
        samples: [{ labels: { key: 'a\\b "c"\nd' }, value: 3 }],
      },
    ]);
    expect(text.split('\n')).toEqual([
      '# HELP weir_odd A "quoted" \\\\ help\\nover two lines.',
      '# TYPE weir_odd counter',
      'weir_odd{key="a\\\\b \\"c\\"\\nd"} 3',
      '',
    ]);
    expect(escapeLabelValue('plain')).toBe('plain');
  });

  it('writes a histogram with cumulative buckets, +Inf, _sum and _count', () => {
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
    expect(formatMetrics([family]).split('\n')).toEqual([
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
      '',
    ]);
  });

  it('spells special values the Prometheus way', () => {
    expect([NaN, Infinity, -Infinity, 0, 1.5, 1e21].map(formatValue)).toEqual([
      'NaN',
      '+Inf',
      '-Inf',
      '0',
      '1.5',
      '1e+21',
    ]);
  });

  it('refuses invalid names, reserved labels, duplicated families and malformed histograms', () => {
    const gauge = (name: string, labels?: Record<string, string>): MetricFamily => ({
      name,
      help: 'x',
      type: 'gauge',
      samples: [{ labels, value: 1 }],
    });
    expect(() => formatMetrics([gauge('weir-runs')])).toThrow(/not a valid metric name/);
    expect(() => formatMetrics([gauge('weir_runs', { 'bad-label': 'x' })])).toThrow(/not a valid label name/);
    expect(() => formatMetrics([gauge('weir_runs', { __reserved: 'x' })])).toThrow(/not a valid label name/);
    expect(() => formatMetrics([gauge('weir_runs'), gauge('weir_runs')])).toThrow(/listed twice/);
    const histogram = (bounds: number[], counts: number[], labels?: Record<string, string>): MetricFamily => ({
      name: 'weir_h',
      help: 'x',
      type: 'histogram',
      bounds,
      series: [{ labels, counts, sum: 0 }],
    });
    expect(() => formatMetrics([histogram([1, 1], [0, 0, 0])])).toThrow(/increasing/);
    expect(() => formatMetrics([histogram([1, Infinity], [0, 0, 0])])).toThrow(/finite/);
    expect(() => formatMetrics([histogram([1, 2], [0, 0])])).toThrow(/2 bounds need 3 counts/);
    expect(() => formatMetrics([histogram([1], [0, 0], { le: '1' })])).toThrow(/"le" is reserved/);
  });

  it('writes nothing for no families', () => {
    expect(formatMetrics([])).toBe('');
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
