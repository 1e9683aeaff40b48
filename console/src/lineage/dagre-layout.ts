/**
 * dagre for units small enough that its best-quality phases stay fast (see graph-layout.ts for
 * the limits): network-simplex ranking keeps edges short, its crossing reduction runs to the end,
 * and long edges are routed around nodes.
 */
import { graphlib, layout } from '@dagrejs/dagre';
import type { LayoutEdge, Point, SizedNode, Spacing, UnitLayout } from './layout-types';

/** Past this many nodes network simplex costs more than it gives; longest-path is linear. */
const NETWORK_SIMPLEX_MAX_NODES = 60;

export function dagreLayout(nodes: readonly SizedNode[], edges: readonly LayoutEdge[], spacing: Spacing): UnitLayout {
  const positions = new Map<string, Point>();
  if (nodes.length === 0) return { positions, width: 0, height: 0 };

  const graph = new graphlib.Graph({ multigraph: false, compound: false });
  graph.setGraph({
    rankdir: 'LR',
    ranksep: spacing.rankSep,
    nodesep: spacing.nodeSep,
    ranker: nodes.length <= NETWORK_SIMPLEX_MAX_NODES ? 'network-simplex' : 'longest-path',
    marginx: 0,
    marginy: 0,
  });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.id, { width: node.width, height: node.height });
  for (const edge of edges) {
    if (edge.source !== edge.target && graph.hasNode(edge.source) && graph.hasNode(edge.target)) {
      graph.setEdge(edge.source, edge.target);
    }
  }
  layout(graph);

  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const node of nodes) {
    const placed = graph.node(node.id) as { x: number; y: number };
    minX = Math.min(minX, placed.x - node.width / 2);
    maxX = Math.max(maxX, placed.x + node.width / 2);
    minY = Math.min(minY, placed.y - node.height / 2);
    maxY = Math.max(maxY, placed.y + node.height / 2);
  }
  for (const node of nodes) {
    const placed = graph.node(node.id) as { x: number; y: number };
    positions.set(node.id, { x: placed.x - minX, y: placed.y - minY });
  }
  return { positions, width: maxX - minX, height: maxY - minY };
}
