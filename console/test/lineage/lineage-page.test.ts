// The lineage page around a stand-in graph: URL state, live statuses, keyboard, and its states.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import LineagePage from '../../src/pages/LineagePage.vue';
import { fakeFetch } from '../support/fake-fetch';
import { testRouter } from '../support/test-router';
import { medallion } from './lineage-fixtures';

type Listener = (data: unknown) => void;
const live = vi.hoisted(() => ({ listeners: [] as ((data: unknown) => void)[] }));
vi.mock('../../src/api/subscriptions', () => ({
  subscribe: (_query: string, _variables: unknown, onData: Listener) => {
    live.listeners.push(onData);
    return () => undefined;
  },
}));

// Cytoscape needs a canvas; the graph itself is tested in lineage-graph.test.ts.
const GraphStub = defineComponent({
  name: 'LineageGraph',
  props: ['graph', 'statuses', 'collapsedGroups', 'focusKey', 'searchText'],
  emits: ['select', 'toggleGroup'],
  setup: (_props, { expose }) => {
    expose({ centerOn: vi.fn() });
    return () => h('div', { 'data-testid': 'graph' });
  },
});

function serveGraph(graph = medallion()) {
  return fakeFetch(({ body }) => {
    const query = (body as { query: string }).query;
    if (query.includes('ConsoleLineageGraph')) return { body: { data: { assetGraph: graph } } };
    if (query.includes('ConsoleLineageHash')) return { body: { data: { assetGraph: { hash: graph.hash } } } };
    return { status: 400, body: { errors: [{ message: 'unexpected', extensions: { code: 'BAD_USER_INPUT' } }] } };
  });
}

async function mountPage(path: string) {
  const router = await testRouter(path);
  const wrapper = mount(LineagePage, {
    global: { plugins: [router], stubs: { LineageGraph: GraphStub, LineageSidePanel: true } },
    attachTo: document.body,
  });
  await flushPromises();
  return { wrapper, router };
}

describe('LineagePage', () => {
  beforeEach(() => {
    live.listeners = [];
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => vi.useRealTimers());

  it('passes the URL state to the graph and writes clicks back to the URL', async () => {
    serveGraph();
    const { wrapper, router } = await mountPage('/?focus=silver/orders&search=gold&collapsed=bronze,gold');
    const graph = wrapper.getComponent(GraphStub);
    expect(graph.props('focusKey')).toBe('silver/orders');
    expect(graph.props('searchText')).toBe('gold');
    expect(graph.props('collapsedGroups')).toEqual(['bronze', 'gold']);
    expect(graph.props('graph').nodes).toHaveLength(6);

    graph.vm.$emit('select', 'gold/churn');
    await flushPromises();
    expect(router.currentRoute.value.query.focus).toBe('gold/churn');

    graph.vm.$emit('toggleGroup', 'gold');
    await flushPromises();
    expect(router.currentRoute.value.query.collapsed).toEqual(['bronze']);
    wrapper.unmount();
  });

  it('applies live status changes without reloading the graph', async () => {
    const { requests } = serveGraph();
    const { wrapper } = await mountPage('/');
    const loads = requests.length;
    live.listeners[0]!({ assetStatusChanged: { assetKey: 'gold/churn', status: 'FAILED', at: '', runId: null } });
    live.listeners[0]!({ assetStatusChanged: { assetKey: 'gold/revenue', status: 'FRESH', at: '', runId: null } });
    await vi.advanceTimersByTimeAsync(200);
    const statuses = wrapper.getComponent(GraphStub).props('statuses') as Map<string, string>;
    expect(statuses.get('gold/churn')).toBe('FAILED');
    expect(statuses.get('gold/revenue')).toBe('FRESH');
    expect(requests.length).toBe(loads);
    wrapper.unmount();
  });

  it('jumps to the search on "/" and clears the focus on Escape', async () => {
    serveGraph();
    const { wrapper, router } = await mountPage('/?focus=gold/churn');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '/' }));
    expect(document.activeElement?.id).toBe('lineage-search');

    (document.activeElement as HTMLElement).blur();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await flushPromises();
    expect(router.currentRoute.value.query.focus).toBeUndefined();
    wrapper.unmount();
  });

  it('lists search matches and focuses the one picked', async () => {
    serveGraph();
    const { wrapper, router } = await mountPage('/');
    await wrapper.get('#lineage-search').setValue('orders');
    const matches = wrapper.get('[aria-label="Matching assets"]').findAll('button');
    expect(matches.map((button) => button.text())).toEqual(['silver/orders', 'bronze/orders_raw']);
    await matches[0]!.trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query.focus).toBe('silver/orders');
    wrapper.unmount();
  });

  it('offers a list view as the text alternative', async () => {
    serveGraph();
    const { wrapper } = await mountPage('/?view=list');
    expect(wrapper.findComponent(GraphStub).exists()).toBe(false);
    const rows = wrapper.findAll('tbody tr');
    expect(rows).toHaveLength(6);
    expect(wrapper.text()).toContain('Failed');
    wrapper.unmount();
  });

  it('says so when there are no assets, and when the graph cannot be loaded', async () => {
    serveGraph({ hash: 'empty', nodes: [], edges: [] });
    const empty = await mountPage('/');
    expect(empty.wrapper.text()).toContain('No assets yet');
    empty.wrapper.unmount();

    fakeFetch(() => ({ body: { errors: [{ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } }));
    const failed = await mountPage('/');
    expect(failed.wrapper.get('[role="alert"]').text()).toContain('The asset graph could not be loaded');
    expect(failed.wrapper.get('[role="alert"]').find('button').text()).toBe('Try again');
    failed.wrapper.unmount();
  });
});
