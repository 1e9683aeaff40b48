import { describe, expect, it } from 'vitest';
import { buildElements, buildLayoutInput, shortLabel } from '../../src/lineage/elements-builder';
import { computeLayout } from '../../src/lineage/graph-layout';
import { buildVisibleGraph, groupNodeId } from '../../src/lineage/visible-graph';
import { medallion, node } from './lineage-fixtures';

const statusFrom = (graph = medallion()) => {
  const statuses = new Map(graph.nodes.map((n) => [n.key, n.status]));
  return (key: string) => statuses.get(key)!;
};

function elementsFor(collapsed: string[]) {
  const visible = buildVisibleGraph(medallion(), new Set(collapsed));
  const layout = computeLayout(buildLayoutInput(visible));
  const elements = buildElements(visible, statusFrom(), layout);
  const byId = new Map(elements.map((element) => [element.data.id!, element]));
  return { visible, layout, elements, byId };
}

describe('visible graph and elements', () => {
  it('puts every group behind a frame sized by the layout, and every asset in its group', () => {
    const { byId, layout } = elementsFor([]);
    const frame = byId.get(groupNodeId('silver'))!;
    expect(frame.classes).toBe('group-frame');
    expect(frame.data).toMatchObject({ label: 'silver', width: layout.boxes['group:silver']!.width });

    // Members lie inside their frame (the frame is not a compound parent: see elements-builder.ts).
    const box = layout.boxes['group:silver']!;
    for (const key of ['silver/orders', 'silver/customers']) {
      const { x, y } = byId.get(key)!.position!;
      expect(Math.abs(x - box.x)).toBeLessThan(box.width / 2);
      expect(Math.abs(y - box.y)).toBeLessThan(box.height / 2);
      expect(byId.get(key)!.data.groupName).toBe('silver');
    }
    expect(byId.get('gold/revenue')!.data.parent).toBeUndefined();
  });

  it('gives assets a status class and marks sources', () => {
    const { byId } = elementsFor([]);
    expect(byId.get('silver/orders')!.classes).toBe('asset status-failed');
    expect(byId.get('bronze/orders_raw')!.classes).toBe('asset status-fresh source');
    expect(byId.get('gold/revenue')!.data.status).toBe('RUNNING');
  });

  it('draws a collapsed group as one node with its most urgent status and merges its edges', () => {
    const { visible, byId } = elementsFor(['silver']);
    const silver = byId.get('group:silver')!;
    // silver holds a FAILED and a STALE asset: FAILED is more urgent.
    expect(silver.classes).toBe('group-collapsed status-failed');
    expect(silver.data.label).toBe('silver · 2 assets');
    expect(byId.has('silver/orders')).toBe(false);

    // silver/orders and silver/customers both feed gold/revenue: one edge counting 2.
    const toRevenue = visible.edges.find((edge) => edge.source === 'group:silver' && edge.target === 'gold/revenue');
    expect(toRevenue?.count).toBe(2);
    expect(byId.get(toRevenue!.id)!.classes).toBe('merged');
    expect(visible.shownAs.get('silver/customers')).toBe('group:silver');
  });

  it('drops edges inside a collapsed group and between two members of the same collapsed pair', () => {
    const graph = {
      hash: 'h',
      nodes: [node('a/one'), node('a/two'), node('b/three')],
      edges: [
        { from: 'a/one', to: 'a/two' },
        { from: 'a/two', to: 'b/three' },
        { from: 'a/one', to: 'b/three' },
      ],
    };
    const visible = buildVisibleGraph(graph, new Set(['a']));
    expect(visible.edges).toEqual([{ id: 'group:a → b/three', source: 'group:a', target: 'b/three', count: 2 }]);
  });

  it('draws no frames when everything is in one group', () => {
    const graph = { hash: 'h', nodes: [node('x', { group: 'default' }), node('y', { group: 'default' })], edges: [] };
    const visible = buildVisibleGraph(graph, new Set(['default']));
    expect(visible.groups).toEqual([]);
    expect(visible.assets.map((n) => n.key)).toEqual(['x', 'y']);
  });

  it('lays out collapsed groups as single nodes and members within their frame', () => {
    const input = buildLayoutInput(buildVisibleGraph(medallion(), new Set(['gold'])));
    expect(input.nodes.find((n) => n.id === 'group:gold')).toMatchObject({ width: 220, height: 56 });
    expect(input.nodes.find((n) => n.id === 'silver/orders')?.parent).toBe('group:silver');
    expect(input.edges).toContainEqual({ source: 'silver/orders', target: 'group:gold' });
  });

  it('shortens long keys from the front, keeping the asset name', () => {
    expect(shortLabel('gold/revenue')).toBe('gold/revenue');
    expect(shortLabel('warehouse/analytics/orders_by_day')).toBe('…/orders_by_day');
    expect(shortLabel('a_really_long_single_segment_key_name')).toBe('a_really_long_single_se…');
  });
});
