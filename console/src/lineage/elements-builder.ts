/**
 * Turns the visible graph and its layout into Cytoscape element definitions: asset nodes, a
 * frame behind each expanded group, collapsed groups as single nodes carrying their most urgent
 * member's status, and the merged edges. Also derives the layout's input from the same graph, so
 * what is laid out is exactly what is drawn.
 *
 * Group frames are plain nodes sized by the layout, not Cytoscape compound parents: with compound
 * parents every style change of a member walks up to its parent, which cost about 2 s of a
 * 5,000-asset first render (measured in headless Chromium). The layout already knows each
 * group's box, and nothing else of compound nodes is used (groups are collapsed by the builder).
 */
import type { ElementDefinition } from 'cytoscape';
import type { LayoutInput, LayoutResult } from './layout-types';
import type { AssetStatus, LineageNode } from './lineage-types';
import { ASSET_NODE_SIZE, GROUP_NODE_SIZE } from './node-geometry';
import { mostUrgent, statusClass } from './status-style';
import type { VisibleGraph, VisibleGroup } from './visible-graph';

export type StatusLookup = (key: string) => AssetStatus;

/** What fits in an asset node at the default font size. */
const LABEL_MAX_CHARS = 24;

export function assetClasses(node: LineageNode, status: AssetStatus): string {
  return `asset ${statusClass(status)}${node.kind === 'SOURCE' ? ' source' : ''}`;
}

export function groupStatus(group: VisibleGroup, statusOf: StatusLookup): AssetStatus {
  return mostUrgent(group.memberKeys.map(statusOf));
}

export function collapsedGroupLabel(group: VisibleGroup): string {
  const count = group.memberKeys.length;
  return `${shortLabel(group.name, LABEL_MAX_CHARS - 8)} · ${count} asset${count === 1 ? '' : 's'}`;
}

export function collapsedGroupClasses(status: AssetStatus): string {
  return `group-collapsed ${statusClass(status)}`;
}

/**
 * A key short enough for its node, cut in advance: Cytoscape's own ellipsis measures the text
 * again and again, which adds up over thousands of labels. The asset's name (the last segment)
 * is what people scan for, so the front is cut first: `…/orders_cleaned`.
 */
export function shortLabel(key: string, max = LABEL_MAX_CHARS): string {
  if (key.length <= max) return key;
  const name = key.slice(key.lastIndexOf('/') + 1);
  if (name.length + 2 <= max && name.length < key.length) return `…/${name}`;
  return `${key.slice(0, max - 1)}…`;
}

/** Every element of the visible graph, placed where the layout put it. */
export function buildElements(
  visible: VisibleGraph,
  statusOf: StatusLookup,
  layout: Pick<LayoutResult, 'positions' | 'boxes'>,
): ElementDefinition[] {
  const elements: ElementDefinition[] = [];
  for (const group of visible.groups) {
    if (group.collapsed) {
      const status = groupStatus(group, statusOf);
      elements.push({
        group: 'nodes',
        data: { id: group.id, label: collapsedGroupLabel(group), groupName: group.name, status },
        classes: collapsedGroupClasses(status),
        position: { ...(layout.positions[group.id] ?? { x: 0, y: 0 }) },
      });
      continue;
    }
    const box = layout.boxes[group.id];
    if (!box) continue;
    elements.push({
      group: 'nodes',
      data: { id: group.id, label: group.name, groupName: group.name, width: box.width, height: box.height },
      classes: 'group-frame',
      position: { x: box.x, y: box.y },
    });
  }
  for (const node of visible.assets) {
    const status = statusOf(node.key);
    elements.push({
      group: 'nodes',
      data: { id: node.key, label: shortLabel(node.key), kind: node.kind, groupName: node.group, status },
      classes: assetClasses(node, status),
      position: { ...(layout.positions[node.key] ?? { x: 0, y: 0 }) },
    });
  }
  for (const edge of visible.edges) {
    elements.push({
      group: 'edges',
      data: { id: edge.id, source: edge.source, target: edge.target, count: edge.count },
      classes: edge.count > 1 ? 'merged' : undefined,
    });
  }
  return elements;
}

/** The layout's input: assets of an expanded group are laid out together inside its frame. */
export function buildLayoutInput(visible: VisibleGraph): LayoutInput {
  const frameOf = new Map(visible.groups.filter((group) => !group.collapsed).map((group) => [group.name, group.id]));
  return {
    nodes: [
      ...visible.groups.filter((group) => group.collapsed).map((group) => ({ id: group.id, ...GROUP_NODE_SIZE })),
      ...visible.assets.map((node) => ({ id: node.key, ...ASSET_NODE_SIZE, parent: frameOf.get(node.group) })),
    ],
    edges: visible.edges.map((edge) => ({ source: edge.source, target: edge.target })),
  };
}
