import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import MetadataChart from '../../src/assets-detail/MetadataChart.vue';
import { chartGeometry, formatMetric } from '../../src/assets-detail/chart-path';

const box = { width: 120, height: 60, padding: 10 };

describe('metadata chart geometry', () => {
  it('maps time to x and value to y (higher values drawn higher), in time order', () => {
    const geometry = chartGeometry(
      [
        { t: 2_000, value: 30 },
        { t: 0, value: 10 },
        { t: 1_000, value: 20 },
      ],
      box,
    );
    expect(geometry.path).toBe('M10 50 L60 30 L110 10');
    expect(geometry).toMatchObject({ min: 10, max: 30, from: 0, to: 2_000 });
  });

  it('spaces points by time, not by index', () => {
    const { points } = chartGeometry(
      [
        { t: 0, value: 1 },
        { t: 900, value: 2 },
        { t: 1_000, value: 3 },
      ],
      box,
    );
    expect(points.map((p) => p.x)).toEqual([10, 100, 110]);
  });

  it('draws a flat series at mid-height and a single point in the middle', () => {
    expect(
      chartGeometry(
        [
          { t: 0, value: 5 },
          { t: 10, value: 5 },
        ],
        box,
      ).path,
    ).toBe('M10 30 L110 30');
    expect(chartGeometry([{ t: 0, value: 5 }], box).path).toBe('M60 30');
    expect(chartGeometry([], box).path).toBe('');
  });

  it('ignores points that are not numbers', () => {
    expect(
      chartGeometry(
        [
          { t: Number.NaN, value: 1 },
          { t: 1, value: 2 },
        ],
        box,
      ).points,
    ).toHaveLength(1);
  });

  it('compacts numbers for labels', () => {
    expect(formatMetric(1_234_567)).toBe('1.23M');
    expect(formatMetric(12_500)).toBe('12.5k');
    expect(formatMetric(812)).toBe('812');
    expect(formatMetric(0.01234)).toBe('0.0123');
  });

  it('renders the series as an SVG path with a description for screen readers', () => {
    const wrapper = mount(MetadataChart, {
      props: {
        width: 120,
        height: 60,
        series: {
          name: 'row_count',
          points: [
            { at: '2026-11-20T00:00:00.000Z', value: 100, runId: 'run-1' },
            { at: '2026-11-21T00:00:00.000Z', value: 300, runId: 'run-2' },
          ],
        },
      },
    });
    expect(wrapper.get('[data-testid="metadata-line"]').attributes('d')).toBe('M8 52 L112 8');
    expect(wrapper.get('svg').attributes('aria-label')).toMatch(
      /row_count: 2 values .* latest 300, lowest 100, highest 300/,
    );
    expect(wrapper.findAll('circle')).toHaveLength(2);
    expect(wrapper.get('.latest').text()).toBe('300');
  });
});
