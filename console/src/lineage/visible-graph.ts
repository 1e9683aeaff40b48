/**
 * What the lineage draws once some groups are collapsed: a collapsed group becomes one node, and
 * the edges that touched its members are re-pointed at it and merged (with a count), so a graph
 * of thousands of assets can be read group by group. Pure: the layout and the elements builder
 * both start from this.
 */
import type { LineageGraphData, LineageNode } from './lineage-types';

/** Asset keys never contain ':' (see the SDK's key pattern), so group ids cannot collide with them. */
export const GROUP_ID_PREFIX = 'group:';

export function groupNodeId(group: string): string {
  return GROUP_ID_PREFIX + group;
}

export function isGroupNodeId(id: string): boolean {
  return id.startsWith(GROUP_ID_PREFIX);
}

export interface VisibleGroup {
  /** The Cytoscape id: a compound box when expanded, a single node when collapsed. */
  id: string;
  name: string;
  memberKeys: string[];
  collapsed: boolean;
}

export interface VisibleEdge {
  id: string;
  source: string;
  target: string;
  /** How many asset-level edges this edge stands for (> 1 only next to collapsed groups). */
  count: number;
}

export interface VisibleGraph {
  /** The assets drawn as their own node (not hidden in a collapsed group). */
  assets: LineageNode[];
  /** Every group, sorted by name; empty when there is a single group (a box around everything says nothing). */
  groups: VisibleGroup[];
  edges: VisibleEdge[];
  /** Asset key → id of the node showing it: the key itself or its collapsed group's id. */
  shownAs: Map<string, string>;
}

/** Ids are plain strings; ' → ' cannot occur in asset keys or group ids. */
export function edgeId(source: string, target: string): string {
  return `${source} → ${target}`;
}

export function buildVisibleGraph(graph: LineageGraphData, collapsed: ReadonlySet<string>): VisibleGraph {
  const members = new Map<string, string[]>();
  for (const node of graph.nodes) {
    const list = members.get(node.group);
    if (list) list.push(node.key);
    else members.set(node.group, [node.key]);
  }
  const boxed = members.size > 1;

  const groups: VisibleGroup[] = boxed
    ? [...members.keys()].sort().map((name) => ({
        id: groupNodeId(name),
        name,
        memberKeys: members.get(name)!,
        collapsed: collapsed.has(name),
      }))
    : [];
  const collapsedNames = new Set(groups.filter((group) => group.collapsed).map((group) => group.name));

  const shownAs = new Map<string, string>();
  const assets: LineageNode[] = [];
  for (const node of graph.nodes) {
    if (collapsedNames.has(node.group)) {
      shownAs.set(node.key, groupNodeId(node.group));
    } else {
      shownAs.set(node.key, node.key);
      assets.push(node);
    }
  }

  const merged = new Map<string, VisibleEdge>();
  for (const edge of graph.edges) {
    const source = shownAs.get(edge.from);
    const target = shownAs.get(edge.to);
    // An edge to an unknown asset (a filtered graph) or inside one collapsed group is not drawn.
    if (source === undefined || target === undefined || source === target) continue;
    const id = edgeId(source, target);
    const existing = merged.get(id);
    if (existing) existing.count += 1;
    else merged.set(id, { id, source, target, count: 1 });
  }

  return { assets, groups, edges: [...merged.values()], shownAs };
}
