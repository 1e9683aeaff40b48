import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { PartitionState } from '../../src/assets-detail/asset-detail-queries';
import PartitionHeatmap from '../../src/assets-detail/PartitionHeatmap.vue';

const partition = (key: string, status: PartitionState['status']): PartitionState => ({
  key,
  status,
  materializedAt: status === 'MATERIALIZED' ? '2026-11-20T10:00:00.000Z' : null,
  runId: status === 'MISSING' ? null : `run-${key}`,
});

const partitions = [
  partition('2026-11-18', 'MATERIALIZED'),
  partition('2026-11-19', 'FAILED'),
  partition('2026-11-20', 'RUNNING'),
  partition('2026-11-21', 'MISSING'),
  partition('2026-11-22', 'MATERIALIZED'),
];

describe('PartitionHeatmap', () => {
  it('draws one cell per partition, in order, classed and titled by its status', () => {
    const wrapper = mount(PartitionHeatmap, { props: { partitions } });
    const cells = wrapper.findAll('[data-partition]');
    expect(cells.map((cell) => cell.attributes('data-partition'))).toEqual(partitions.map((p) => p.key));
    expect(cells.map((cell) => cell.classes().find((c) => c.startsWith('partition-')))).toEqual([
      'partition-materialized',
      'partition-failed',
      'partition-running',
      'partition-missing',
      'partition-materialized',
    ]);
    expect(cells[1]!.attributes('title')).toBe('2026-11-19: Failed (run run-2026)');
    expect(cells[0]!.attributes('aria-label')).toMatch(/^2026-11-18: Materialized, last materialized /);
    expect(cells[0]!.element.tagName).toBe('SPAN');
  });

  it('counts partitions per status in the legend', () => {
    const wrapper = mount(PartitionHeatmap, { props: { partitions } });
    expect(wrapper.get('.legend').text().replace(/\s+/g, ' ')).toBe('Materialized 2 Running 1 Failed 1 Missing 1');
  });

  it('lets operators pick partitions: cells become toggle buttons', async () => {
    const wrapper = mount(PartitionHeatmap, { props: { partitions, selectable: true, selected: ['2026-11-21'] } });
    const missing = wrapper.get('[data-partition="2026-11-21"]');
    expect(missing.element.tagName).toBe('BUTTON');
    expect(missing.attributes('aria-pressed')).toBe('true');
    expect(wrapper.get('[data-partition="2026-11-19"]').attributes('aria-pressed')).toBe('false');
    await wrapper.get('[data-partition="2026-11-19"]').trigger('click');
    expect(wrapper.emitted('toggle')).toEqual([['2026-11-19']]);
  });
});
