import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import RunsTable from '../../src/runs/RunsTable.vue';
import type { RunSummary } from '../../src/runs/run-types';
import { runSummary, T0 } from '../support/fixtures';
import { testRouter } from '../support/test-router';

async function mountTable(runs: RunSummary[], extra: Record<string, unknown> = {}) {
  const router = await testRouter('/runs');
  return mount(RunsTable, {
    props: { runs, pageInfo: { hasNextPage: false, endCursor: null }, now: T0 + 120_000, ...extra },
    global: { plugins: [router] },
  });
}

describe('RunsTable', () => {
  it('renders one row per run with its status badge, assets, trigger, duration and link', async () => {
    const wrapper = await mountTable([
      runSummary({ id: 'aaaaaaaa-1111', status: 'FAILED', trigger: 'SCHEDULE', assetKeys: ['raw/orders', 'orders'] }),
      runSummary({ id: 'bbbbbbbb-2222', status: 'RUNNING', startedAt: new Date(T0).toISOString(), endedAt: null }),
    ]);

    const rows = wrapper.findAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.find('[data-status]').attributes('data-status')).toBe('FAILED');
    expect(rows[0]!.find('.status-badge').text()).toBe('Failed');
    expect(rows[0]!.find('.status-badge').classes()).toContain('tone-danger');
    expect(rows[0]!.text()).toContain('raw/orders');
    expect(rows[0]!.text()).toContain('Schedule');
    expect(rows[0]!.text()).toContain('1m'); // started +1s, ended +61s
    expect(rows[0]!.find('a').attributes('href')).toBe('/runs/aaaaaaaa-1111');
    expect(rows[1]!.find('.status-badge').classes()).toContain('tone-running');
    // A running run's duration runs to "now" (T0 + 2m).
    expect(rows[1]!.text()).toContain('2m');
  });

  it('uses real table headers', async () => {
    const wrapper = await mountTable([runSummary()]);
    const headers = wrapper.findAll('thead th');
    expect(headers.map((th) => th.attributes('scope'))).toEqual(Array(7).fill('col'));
    expect(wrapper.find('tbody th').attributes('scope')).toBe('row');
  });

  it('shortens long asset lists', async () => {
    const wrapper = await mountTable([runSummary({ assetKeys: ['a', 'b', 'c', 'd', 'e'] })]);
    expect(wrapper.text()).toContain('+2 more');
    expect(wrapper.findAll('.asset-key')).toHaveLength(3);
  });

  it('shows an empty state instead of an empty table', async () => {
    const wrapper = await mountTable([]);
    expect(wrapper.find('table').exists()).toBe(false);
    expect(wrapper.text()).toContain('No runs yet');
  });

  it('offers to clear filters when filters hide every run', async () => {
    const wrapper = await mountTable([], { filtered: true });
    expect(wrapper.text()).toContain('No runs match these filters');
    await wrapper.get('button').trigger('click');
    expect(wrapper.emitted('clearFilters')).toHaveLength(1);
  });

  it('emits the end cursor when asked for older runs, and previous for newer ones', async () => {
    const wrapper = await mountTable([runSummary()], {
      pageInfo: { hasNextPage: true, endCursor: 'cursor-42' },
      hasPrevious: true,
    });

    const older = wrapper.findAll('button').find((b) => b.text().includes('Older runs'))!;
    const newer = wrapper.findAll('button').find((b) => b.text().includes('Newer runs'))!;
    await older.trigger('click');
    await newer.trigger('click');

    expect(wrapper.emitted('next')).toEqual([['cursor-42']]);
    expect(wrapper.emitted('previous')).toHaveLength(1);
  });

  it('disables "Older runs" on the last page', async () => {
    const wrapper = await mountTable([runSummary()], {
      pageInfo: { hasNextPage: false, endCursor: 'x' },
      hasPrevious: true,
    });
    const older = wrapper.findAll('button').find((b) => b.text().includes('Older runs'))!;
    expect(older.attributes('disabled')).toBeDefined();
  });
});
