import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import FreshnessBoard from '../../src/freshness/FreshnessBoard.vue';
import type { FreshnessFilterState } from '../../src/freshness/freshness-filter';
import type { FreshnessEntry } from '../../src/freshness/freshness-types';
import { at, freshnessEntry, T0 } from '../support/fixtures';
import { testRouter } from '../support/test-router';

const entries: FreshnessEntry[] = [
  freshnessEntry({ assetKey: 'finance/revenue', group: 'finance', owners: ['ana@acme.test'], status: 'FRESH' }),
  freshnessEntry({
    assetKey: 'finance/ledger',
    group: 'finance',
    owners: ['bo@acme.test'],
    status: 'LATE',
    // The deadline was missed 2h 10m before "now".
    missedDeadline: at(-(2 * 60 + 10) * 60_000),
    lastBreachAt: at(-(2 * 60 + 10) * 60_000),
    nextDeadline: null,
  }),
  freshnessEntry({
    assetKey: 'marketing/campaigns',
    group: 'marketing',
    owners: ['ana@acme.test', 'cy@acme.test'],
    status: 'WARNING',
    nextDeadline: at(25 * 60_000),
  }),
  freshnessEntry({
    assetKey: 'marketing/leads',
    group: 'marketing',
    owners: [],
    status: 'FRESH',
    lastMaterializedAt: null,
  }),
];

const noFilter: FreshnessFilterState = { owner: '', group: '', status: '' };

async function mountBoard(filter: FreshnessFilterState = noFilter) {
  return mount(FreshnessBoard, {
    props: { entries, filter, now: T0 },
    global: { plugins: [await testRouter('/freshness')] },
  });
}

function rowFor(wrapper: Awaited<ReturnType<typeof mountBoard>>, key: string) {
  return wrapper.get(`tr[data-asset="${key}"]`);
}

describe('FreshnessBoard', () => {
  it('says the status in plain words', async () => {
    const wrapper = await mountBoard();
    expect(rowFor(wrapper, 'finance/revenue').get('.status-badge').text()).toBe('On time');
    expect(rowFor(wrapper, 'marketing/campaigns').get('.status-badge').text()).toBe('Due soon');
    expect(rowFor(wrapper, 'finance/ledger').get('.status-badge').text()).toBe('Late by 2h 10m');
    expect(rowFor(wrapper, 'marketing/leads').text()).toContain('Never updated');
    expect(wrapper.text()).not.toMatch(/\bWARNING\b|\bFRESH\b/);
  });

  it('uses the shared status colours (late is purple, due soon amber, on time green)', async () => {
    const wrapper = await mountBoard();
    expect(rowFor(wrapper, 'finance/ledger').get('.status-badge').classes()).toContain('tone-late');
    expect(rowFor(wrapper, 'marketing/campaigns').get('.status-badge').classes()).toContain('tone-warning');
    expect(rowFor(wrapper, 'finance/revenue').get('.status-badge').classes()).toContain('tone-success');
  });

  it('lists the most urgent first', async () => {
    const wrapper = await mountBoard();
    const order = wrapper.findAll('tbody tr').map((row) => row.attributes('data-asset'));
    expect(order.slice(0, 2)).toEqual(['finance/ledger', 'marketing/campaigns']);
  });

  it('shows the last breach, or "Never"', async () => {
    const wrapper = await mountBoard();
    expect(rowFor(wrapper, 'finance/ledger').findAll('td')[3]!.find('time').exists()).toBe(true);
    expect(rowFor(wrapper, 'finance/revenue').findAll('td')[3]!.text()).toBe('Never');
  });

  it('filters by owner (an asset with several owners matches each of them)', async () => {
    const wrapper = await mountBoard({ ...noFilter, owner: 'ana@acme.test' });
    const keys = wrapper.findAll('tbody tr').map((row) => row.attributes('data-asset'));
    expect(keys.sort()).toEqual(['finance/revenue', 'marketing/campaigns']);
    expect(wrapper.get('.summary').text()).toContain('2 of 4 assets shown');
  });

  it('filters by group', async () => {
    const wrapper = await mountBoard({ ...noFilter, group: 'marketing' });
    const keys = wrapper.findAll('tbody tr').map((row) => row.attributes('data-asset'));
    expect(keys.sort()).toEqual(['marketing/campaigns', 'marketing/leads']);
  });

  it('offers every owner and group as a choice and emits the new filter', async () => {
    const wrapper = await mountBoard();
    const owners = wrapper
      .get('#freshness-owner')
      .findAll('option')
      .map((o) => o.text());
    expect(owners).toEqual(['Everyone', 'ana@acme.test', 'bo@acme.test', 'cy@acme.test']);

    await wrapper.get('#freshness-group').setValue('finance');
    expect(wrapper.emitted('update:filter')).toEqual([[{ owner: '', group: 'finance', status: '' }]]);
  });

  it('shows an empty state when nothing matches', async () => {
    const wrapper = await mountBoard({ ...noFilter, owner: 'nobody@acme.test' });
    expect(wrapper.find('table').exists()).toBe(false);
    expect(wrapper.text()).toContain('No asset matches these filters');
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Show everything')!
      .trigger('click');
    expect(wrapper.emitted('update:filter')!.at(-1)).toEqual([noFilter]);
  });
});
