/**
 * The whole lineage layout, run in the layout worker (or synchronously when there is none).
 *
 * Groups are laid out one by one, then the group boxes (and collapsed groups) are laid out as a
 * graph of their own, so a box's members stay together and each layout stays small; a top level
 * far wider than a screen is folded into rows (wrap-rows.ts). Small units
 * use dagre; big ones (or big graphs as a whole) use the bounded layered engine, because dagre's
 * cost grows far faster than linearly and a 5,000-asset lineage must open in seconds.
 */
import { dagreLayout } from './dagre-layout';
import { layeredLayout } from './layered-layout';
import type {
  Box,
  LayoutEdge,
  LayoutEngine,
  LayoutInput,
  LayoutNode,
  LayoutResult,
  Point,
  SizedNode,
  UnitLayout,
} from './layout-types';
import { GROUP_LABEL_SPACE, GROUP_PADDING, SPACING } from './node-geometry';
import { wrapWideLayout } from './wrap-rows';

/** dagre takes ~100-200 ms for a unit of this size (measured on 2 busy cores). */
export const DAGRE_MAX_UNIT_NODES = 100;
/** Past this many nodes in total, dagre's per-unit costs add up to seconds: use layered everywhere. */
export const DAGRE_MAX_TOTAL_NODES = 250;

export interface LayoutOptions {
  /** Force one engine (tests, comparisons); by default chosen by size. */
  engine?: 'dagre' | 'layered';
}

export function computeLayout(input: LayoutInput, options: LayoutOptions = {}): LayoutResult {
  const started = performance.now();
  if (input.nodes.length === 0) return { positions: {}, boxes: {}, bounds: null, engine: 'empty', durationMs: 0 };

  const used = new Set<'dagre' | 'layered'>();
  const layoutUnit = (nodes: readonly SizedNode[], edges: readonly LayoutEdge[]): UnitLayout => {
    const engine = options.engine ?? chooseEngine(nodes.length, input.nodes.length);
    used.add(engine);
    return (engine === 'dagre' ? dagreLayout : layeredLayout)(nodes, edges, SPACING);
  };

  const { positions, boxes, bounds } = layoutHierarchy(input, layoutUnit);
  const engine: LayoutEngine = used.size > 1 ? 'mixed' : [...used][0]!;
  return { positions, boxes, bounds, engine, durationMs: performance.now() - started };
}

function chooseEngine(unitNodes: number, totalNodes: number): 'dagre' | 'layered' {
  return unitNodes <= DAGRE_MAX_UNIT_NODES && totalNodes <= DAGRE_MAX_TOTAL_NODES ? 'dagre' : 'layered';
}

type UnitLayoutFn = (nodes: readonly SizedNode[], edges: readonly LayoutEdge[]) => UnitLayout;

function layoutHierarchy(input: LayoutInput, layoutUnit: UnitLayoutFn) {
  const members = new Map<string, LayoutNode[]>();
  const topLevel: SizedNode[] = [];
  for (const node of input.nodes) {
    if (node.parent === undefined) topLevel.push(node);
    else {
      const list = members.get(node.parent);
      if (list) list.push(node);
      else members.set(node.parent, [node]);
    }
  }

  // Each leaf stands at the top level for itself or for the box it is in.
  const topOf = new Map<string, string>();
  for (const node of input.nodes) topOf.set(node.id, node.parent ?? node.id);
  const inside = new Map<string, LayoutEdge[]>();
  const between = new Map<string, LayoutEdge>();
  for (const edge of input.edges) {
    const source = topOf.get(edge.source);
    const target = topOf.get(edge.target);
    if (source === undefined || target === undefined) continue;
    if (source === target) {
      const parent = source;
      const list = inside.get(parent);
      if (list) list.push(edge);
      else inside.set(parent, [edge]);
    } else {
      between.set(`${source}\n${target}`, { source, target });
    }
  }

  const boxes = new Map<string, UnitLayout>();
  for (const [parent, nodes] of members) {
    const unit = layoutUnit(nodes, inside.get(parent) ?? []);
    boxes.set(parent, unit);
    topLevel.push({
      id: parent,
      width: unit.width + 2 * GROUP_PADDING,
      height: unit.height + 2 * GROUP_PADDING + GROUP_LABEL_SPACE,
    });
  }

  const widths = new Map(topLevel.map((node) => [node.id, node.width]));
  const top = wrapWideLayout(layoutUnit(topLevel, [...between.values()]), widths, SPACING.rankSep * 2);
  const positions: Record<string, Point> = {};
  const frames: Record<string, Box> = {};
  for (const node of topLevel) {
    const centre = top.positions.get(node.id)!;
    const box = boxes.get(node.id);
    if (!box) {
      positions[node.id] = centre;
      continue;
    }
    frames[node.id] = { x: centre.x, y: centre.y, width: node.width, height: node.height };
    // Members are placed relative to the box's inner top-left corner, under the label.
    const left = centre.x - node.width / 2 + GROUP_PADDING;
    const upper = centre.y - node.height / 2 + GROUP_LABEL_SPACE + GROUP_PADDING;
    for (const [id, point] of box.positions) positions[id] = { x: left + point.x, y: upper + point.y };
  }
  // The top-level unit's box holds every node and frame: (0, 0) to its size.
  return { positions, boxes: frames, bounds: { x1: 0, y1: 0, x2: top.width, y2: top.height } };
}
