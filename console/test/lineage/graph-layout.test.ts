import { describe, expect, it } from 'vitest';
import { buildLayoutInput } from '../../src/lineage/elements-builder';
import { computeLayout } from '../../src/lineage/graph-layout';
import { isotonicPlacement } from '../../src/lineage/layered-layout';
import type { LayoutInput, LayoutResult } from '../../src/lineage/layout-types';
import { syntheticGraph } from '../../src/lineage/synthetic-graph';
import { buildVisibleGraph } from '../../src/lineage/visible-graph';
import { medallion } from './lineage-fixtures';

function inputOf(graph = medallion(), collapsed: string[] = []): LayoutInput {
  return buildLayoutInput(buildVisibleGraph(graph, new Set(collapsed)));
}

/** Ranks flow left to right: every edge must end to the right of where it starts. */
function expectLayered(input: LayoutInput, result: LayoutResult): void {
  for (const edge of input.edges) {
    const from = result.positions[edge.source]!;
    const to = result.positions[edge.target]!;
    expect(to.x, `${edge.source} → ${edge.target}`).toBeGreaterThan(from.x);
  }
}

function expectNoOverlap(input: LayoutInput, result: LayoutResult): void {
  const boxes = input.nodes.map((n) => ({ ...n, ...result.positions[n.id]! }));
  const byColumn = new Map<number, typeof boxes>();
  for (const box of boxes) byColumn.set(Math.round(box.x), [...(byColumn.get(Math.round(box.x)) ?? []), box]);
  for (const column of byColumn.values()) {
    column.sort((a, b) => a.y - b.y);
    for (let i = 1; i < column.length; i++) {
      const gap = column[i]!.y - column[i - 1]!.y;
      expect(gap).toBeGreaterThanOrEqual((column[i]!.height + column[i - 1]!.height) / 2);
    }
  }
}

describe('lineage layout', () => {
  it.each(['dagre', 'layered'] as const)('%s: places every node, edges flowing left to right', (engine) => {
    const input = inputOf();
    const result = computeLayout(input, { engine });
    expect(result.engine).toBe(engine);
    expect(Object.keys(result.positions).sort()).toEqual(input.nodes.map((n) => n.id).sort());
    expectLayered(input, result);
    expectNoOverlap(input, result);
  });

  it('puts each group in its own frame, the frames not overlapping', () => {
    const result = computeLayout(inputOf());
    const frames = Object.entries(result.boxes);
    expect(frames.map(([id]) => id).sort()).toEqual(['group:bronze', 'group:gold', 'group:silver']);
    for (const [i, [, a]] of frames.entries()) {
      for (const [, b] of frames.slice(i + 1)) {
        const apart =
          Math.abs(a.x - b.x) >= (a.width + b.width) / 2 || Math.abs(a.y - b.y) >= (a.height + b.height) / 2;
        expect(apart).toBe(true);
      }
    }
    // bronze feeds silver feeds gold: the frames follow that order left to right.
    expect(result.boxes['group:bronze']!.x).toBeLessThan(result.boxes['group:silver']!.x);
    expect(result.boxes['group:silver']!.x).toBeLessThan(result.boxes['group:gold']!.x);
  });

  it('lays out collapsed groups with the other nodes', () => {
    const input = inputOf(medallion(), ['silver']);
    const result = computeLayout(input);
    expect(result.positions['group:silver']).toBeDefined();
    expectLayered(input, result);
  });

  it('survives cycles (reported as an invalid graph elsewhere, but never a hang here)', () => {
    const input: LayoutInput = {
      nodes: ['a', 'b', 'c'].map((id) => ({ id, width: 100, height: 30 })),
      edges: [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'c', target: 'a' },
      ],
    };
    for (const engine of ['dagre', 'layered'] as const) {
      expect(Object.keys(computeLayout(input, { engine }).positions)).toHaveLength(3);
    }
  });

  it('uses the layered engine for big graphs and keeps them layered (5,000 assets)', () => {
    const input = inputOf(syntheticGraph({ assets: 5_000 }));
    const result = computeLayout(input);
    expect(result.engine).toBe('layered');
    expect(Object.keys(result.positions)).toHaveLength(5_000);

    // Inside a group, edges go left to right; between groups, the target's frame comes later in
    // reading order (to the right in the same row, or in a row below: wide layouts are folded).
    const frameOf = new Map(input.nodes.map((n) => [n.id, n.parent!]));
    const inside = input.edges.filter((e) => frameOf.get(e.source) === frameOf.get(e.target));
    expectLayered({ ...input, edges: inside }, result);
    for (const edge of input.edges.filter((e) => !inside.includes(e))) {
      const a = result.boxes[frameOf.get(edge.source)!]!;
      const b = result.boxes[frameOf.get(edge.target)!]!;
      const rowBelow = b.y - b.height / 2 >= a.y + a.height / 2;
      const sameRowRight = b.x > a.x && Math.abs(b.y - a.y) < (a.height + b.height) / 2;
      expect(rowBelow || sameRowRight, `${edge.source} → ${edge.target}`).toBe(true);
    }
    // Folded into rows: the whole fits a screen-like shape rather than a 20:1 strip.
    const { x2, y2 } = result.bounds!;
    expect(x2 / y2).toBeLessThan(4);
  });

  it('places a rank as close to its targets as the gaps allow (isotonic placement)', () => {
    // Both want y = 0 but must be 10 apart: they settle symmetrically around it.
    expect([...isotonicPlacement([0, 0], [1, 1], [10])]).toEqual([-5, 5]);
    // Far apart targets are met exactly.
    expect([...isotonicPlacement([0, 100], [1, 1], [10])]).toEqual([0, 100]);
    // A heavy node barely moves.
    const [heavy, light] = isotonicPlacement([0, 0], [9, 1], [10]);
    expect(heavy).toBeCloseTo(-1);
    expect(light).toBeCloseTo(9);
  });
});
