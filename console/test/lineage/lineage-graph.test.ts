// LineageGraph with a headless Cytoscape (happy-dom has no canvas) and the synchronous layout.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import type { Core } from 'cytoscape';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearLayoutCache } from '../../src/lineage/layout-cache';
import LineageGraph from '../../src/lineage/LineageGraph.vue';
import type { AssetStatus, LineageGraphData } from '../../src/lineage/lineage-types';
import { medallion } from './lineage-fixtures';

// Count layouts while keeping the real one.
const layouts = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/lineage/graph-layout', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/lineage/graph-layout')>();
  return {
    ...original,
    computeLayout: (...args: Parameters<typeof original.computeLayout>) => {
      layouts.count++;
      return original.computeLayout(...args);
    },
  };
});

type Props = {
  graph: LineageGraphData;
  statuses?: ReadonlyMap<string, AssetStatus>;
  collapsedGroups?: string[];
  focusKey?: string | null;
  searchText?: string;
};

async function mountGraph(props: Props) {
  const wrapper = mount(LineageGraph, {
    props: { headless: true, useWorker: false, ...props },
    attachTo: document.body,
  });
  await vi.waitFor(() => expect(wrapper.emitted('ready')).toBeTruthy());
  const cy = (wrapper.vm as unknown as { getCy(): Core }).getCy();
  return { wrapper, cy };
}

function positions(cy: Core): Record<string, { x: number; y: number }> {
  return Object.fromEntries(cy.nodes().map((n) => [n.id(), { ...n.position() }]));
}

describe('LineageGraph', () => {
  let wrapper: VueWrapper | undefined;
  beforeEach(() => {
    layouts.count = 0;
    clearLayoutCache();
  });
  afterEach(() => wrapper?.unmount());

  it('draws the laid-out graph and reports itself ready on window.__weirLineage', async () => {
    const mounted = await mountGraph({ graph: medallion() });
    wrapper = mounted.wrapper;
    expect(mounted.cy.nodes('.asset')).toHaveLength(6);
    expect(mounted.cy.nodes('.group-frame')).toHaveLength(3);
    expect(mounted.cy.edges()).toHaveLength(6);
    expect(mounted.cy.getElementById('gold/revenue').position().x).toBeGreaterThan(
      mounted.cy.getElementById('silver/orders').position().x,
    );
    expect(window.__weirLineage).toMatchObject({ ready: true, nodeCount: 6, layoutMode: 'sync' });
    expect(window.__weirLineage!.interactiveMs).toBeGreaterThanOrEqual(window.__weirLineage!.firstRenderMs!);
    expect(wrapper.get('[data-testid="lineage-canvas"]').attributes('aria-label')).toContain('1 failed');
  });

  it('applies a live status change to the node only: same positions, no new layout', async () => {
    const mounted = await mountGraph({ graph: medallion() });
    wrapper = mounted.wrapper;
    const before = positions(mounted.cy);
    expect(layouts.count).toBe(1);

    await wrapper.setProps({ statuses: new Map([['silver/orders', 'RUNNING']]) });
    const node = mounted.cy.getElementById('silver/orders');
    expect(node.data('status')).toBe('RUNNING');
    expect(node.hasClass('status-running')).toBe(true);
    expect(node.hasClass('status-failed')).toBe(false);
    expect(positions(mounted.cy)).toEqual(before);
    expect(layouts.count).toBe(1);
  });

  it('keeps focus classes when a focused node changes status', async () => {
    const mounted = await mountGraph({ graph: medallion(), focusKey: 'silver/orders' });
    wrapper = mounted.wrapper;
    await wrapper.setProps({ statuses: new Map([['silver/orders', 'FRESH']]) });
    const node = mounted.cy.getElementById('silver/orders');
    expect(node.hasClass('focused')).toBe(true);
    expect(node.hasClass('status-fresh')).toBe(true);
  });

  it('emits select with the asset key when a node is tapped, and null on the background', async () => {
    const mounted = await mountGraph({ graph: medallion() });
    wrapper = mounted.wrapper;
    mounted.cy.getElementById('gold/churn').emit('tap');
    mounted.cy.emit('tap');
    expect(wrapper.emitted('select')).toEqual([['gold/churn'], [null]]);
  });

  it('focus dims what is outside the upstream/downstream closure', async () => {
    const mounted = await mountGraph({ graph: medallion(), focusKey: 'silver/customers' });
    wrapper = mounted.wrapper;
    const has = (id: string, cls: string) => mounted.cy.getElementById(id).hasClass(cls);
    expect(has('silver/customers', 'focused')).toBe(true);
    expect(has('bronze/customers_raw', 'in-focus-path')).toBe(true);
    expect(has('gold/churn', 'in-focus-path')).toBe(true);
    expect(has('silver/orders', 'dimmed')).toBe(true);
    expect(has('bronze/orders_raw', 'dimmed')).toBe(true);

    await wrapper.setProps({ focusKey: null });
    expect(mounted.cy.elements('.dimmed')).toHaveLength(0);
  });

  it('search rings matching nodes', async () => {
    const mounted = await mountGraph({ graph: medallion(), searchText: 'ORDERS' });
    wrapper = mounted.wrapper;
    expect(
      mounted.cy
        .nodes('.search-match')
        .map((n) => n.id())
        .sort(),
    ).toEqual(['bronze/orders_raw', 'silver/orders']);
    expect(mounted.cy.getElementById('gold/churn').hasClass('search-miss')).toBe(true);
  });

  it('re-lays out when a group is collapsed, then toggles it back from a tap', async () => {
    const mounted = await mountGraph({ graph: medallion() });
    wrapper = mounted.wrapper;
    await wrapper.setProps({ collapsedGroups: ['silver'] });
    await vi.waitFor(() => expect(mounted.cy.getElementById('group:silver').hasClass('group-collapsed')).toBe(true));
    expect(layouts.count).toBe(2);
    expect(mounted.cy.getElementById('silver/orders').empty()).toBe(true);
    expect(
      mounted.cy
        .edges('[source = "group:silver"]')
        .map((e) => e.data('count'))
        .sort(),
    ).toEqual([2, 2]);

    mounted.cy.getElementById('group:silver').emit('tap');
    expect(wrapper.emitted('toggleGroup')).toEqual([['silver']]);
  });

  it('re-lays out only when the definitions hash changes', async () => {
    const mounted = await mountGraph({ graph: medallion() });
    wrapper = mounted.wrapper;
    const refetched = medallion();
    refetched.nodes[5]!.status = 'LATE';
    await wrapper.setProps({ graph: refetched });
    await flushPromises();
    expect(layouts.count).toBe(1);
    expect(mounted.cy.getElementById('gold/churn').data('status')).toBe('LATE');

    const redeployed = medallion();
    redeployed.hash = 'h2';
    redeployed.nodes.push({ key: 'gold/ltv', group: 'gold', kind: 'ASSET', status: 'NEVER_MATERIALIZED' });
    redeployed.edges.push({ from: 'silver/customers', to: 'gold/ltv' });
    await wrapper.setProps({ graph: redeployed });
    await vi.waitFor(() => expect(mounted.cy.getElementById('gold/ltv').nonempty()).toBe(true));
    expect(layouts.count).toBe(2);
  });

  it('is usable from the keyboard: arrows move between assets and announce them, Enter opens one', async () => {
    const mounted = await mountGraph({ graph: medallion() });
    wrapper = mounted.wrapper;
    const canvas = wrapper.get('[data-testid="lineage-canvas"]');
    expect(canvas.attributes('tabindex')).toBe('0');
    const announced = () => wrapper!.get('[data-testid="lineage-announcement"]').text();
    const marked = () => mounted.cy.nodes('.keyboard-focus').map((node) => node.id());

    // The first key lands on the first upstream node (a source, top left).
    await canvas.trigger('keydown', { key: 'ArrowRight' });
    const start = marked();
    expect(start).toHaveLength(1);
    expect(start[0]).toMatch(/^bronze\//);
    expect(announced()).toContain(`${start[0]}, `);
    expect(announced()).toContain('0 upstream, 1 downstream');

    // → follows the flow downstream, to silver.
    await canvas.trigger('keydown', { key: 'ArrowRight' });
    const silver = marked()[0]!;
    expect(silver).toMatch(/^silver\//);
    expect(announced()).toMatch(/1 upstream, 2 downstream/);
    await canvas.trigger('keydown', { key: 'ArrowRight' });
    expect(marked()[0]).toMatch(/^gold\//);
    await canvas.trigger('keydown', { key: 'ArrowLeft' });
    expect(marked()[0]).toMatch(/^silver\//);

    await canvas.trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('select')).toEqual([[marked()[0]]]);
    await canvas.trigger('keydown', { key: 'Escape' });
    expect(marked()).toEqual([]);
    expect(wrapper.emitted('select')!.at(-1)).toEqual([null]);
  });
});
