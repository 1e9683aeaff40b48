/**
 * The column-level lineage of one table laid out in two lists joined by lines: upstream assets'
 * columns on the left (grouped under their asset), this asset's columns on the right, in its
 * table's order. Upstream groups and their columns are ordered by the mean position of the
 * columns they feed, which keeps lines short and crossings few without a graph library. Pure:
 * positions are computed from fixed row heights, so the component never measures the DOM.
 */
import type { ColumnLineageEdge } from './asset-detail-queries';

export interface LineageBox {
  /** Height of one column row (and of an upstream asset's header). */
  rowHeight: number;
  /** Space between two upstream assets' groups. */
  groupGap: number;
  /** Width of the band between the lists, where the lines are drawn. */
  bandWidth: number;
}

export const DEFAULT_LINEAGE_BOX: LineageBox = { rowHeight: 28, groupGap: 12, bandWidth: 200 };

export interface UpstreamColumnSlot {
  /** `asset.column`, unique on the page. */
  id: string;
  column: string;
  /** Top of the row, in pixels from the top of the view. */
  top: number;
}

export interface UpstreamGroup {
  asset: string;
  /** Top of the asset's header row. */
  top: number;
  columns: UpstreamColumnSlot[];
}

export interface OwnColumnSlot {
  column: string;
  top: number;
  /** Fed by at least one upstream column. */
  linked: boolean;
}

export interface LineageLink {
  /** `asset.column → column`, unique on the page. */
  id: string;
  from: string;
  to: string;
  /** An SVG path in the band: from the left list's edge (x 0) to the right one's (x bandWidth). */
  path: string;
}

export interface ColumnLineageLayout {
  height: number;
  upstream: UpstreamGroup[];
  own: OwnColumnSlot[];
  links: LineageLink[];
}

const columnId = (asset: string, column: string) => `${asset}.${column}`;
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Lays out `edges` (upstream column → own column) beside `ownColumns` (the table's columns, in
 * order; a column named only by the lineage is added after them).
 */
export function columnLineageLayout(
  ownColumns: readonly string[],
  edges: readonly ColumnLineageEdge[],
  box: LineageBox = DEFAULT_LINEAGE_BOX,
): ColumnLineageLayout {
  const ownOrder = [...ownColumns];
  for (const edge of edges) if (!ownOrder.includes(edge.to.column)) ownOrder.push(edge.to.column);
  const ownIndex = new Map(ownOrder.map((column, index) => [column, index]));

  // For each upstream asset and column: the positions of the own columns it feeds.
  const fed = new Map<string, Map<string, number[]>>();
  for (const edge of edges) {
    const columns = fed.get(edge.from.asset) ?? new Map<string, number[]>();
    fed.set(edge.from.asset, columns);
    columns.set(edge.from.column, [...(columns.get(edge.from.column) ?? []), ownIndex.get(edge.to.column)!]);
  }
  const byBarycenter = <T>(entries: Array<[T, number]>) =>
    entries.sort((a, b) => a[1] - b[1] || String(a[0]).localeCompare(String(b[0]))).map(([value]) => value);
  const assets = byBarycenter(
    [...fed].map(([asset, columns]): [string, number] => [asset, mean([...columns.values()].flat())]),
  );

  const leftHeight =
    assets.reduce((sum, asset) => sum + (fed.get(asset)!.size + 1) * box.rowHeight, 0) +
    Math.max(0, assets.length - 1) * box.groupGap;
  const rightHeight = ownOrder.length * box.rowHeight;
  const height = Math.max(leftHeight, rightHeight);
  // The shorter list is centred against the taller one: lines stay closer to horizontal.
  let top = (height - leftHeight) / 2;
  const upstream = assets.map((asset): UpstreamGroup => {
    const columns = fed.get(asset)!;
    const group: UpstreamGroup = { asset, top, columns: [] };
    top += box.rowHeight;
    for (const column of byBarycenter([...columns].map(([name, at]): [string, number] => [name, mean(at)]))) {
      group.columns.push({ id: columnId(asset, column), column, top });
      top += box.rowHeight;
    }
    top += box.groupGap;
    return group;
  });
  const rightTop = (height - rightHeight) / 2;
  const linked = new Set(edges.map((edge) => edge.to.column));
  const own = ownOrder.map((column, index) => ({
    column,
    top: rightTop + index * box.rowHeight,
    linked: linked.has(column),
  }));

  const slotTop = new Map(upstream.flatMap((group) => group.columns.map((slot) => [slot.id, slot.top] as const)));
  const ownTop = new Map(own.map((slot) => [slot.column, slot.top]));
  const half = box.rowHeight / 2;
  const middle = box.bandWidth / 2;
  const seen = new Set<string>();
  const links: LineageLink[] = [];
  for (const edge of edges) {
    const from = columnId(edge.from.asset, edge.from.column);
    const id = `${from} → ${edge.to.column}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const y1 = slotTop.get(from)! + half;
    const y2 = ownTop.get(edge.to.column)! + half;
    links.push({
      id,
      from,
      to: edge.to.column,
      path: `M0 ${y1} C${middle} ${y1} ${middle} ${y2} ${box.bandWidth} ${y2}`,
    });
  }
  return { height, upstream, own, links };
}

/** A hovered row: an upstream column (`asset.column`) or one of this asset's columns. */
export type HoveredColumn = { side: 'upstream'; id: string } | { side: 'own'; column: string };

export interface Highlight {
  links: Set<string>;
  upstream: Set<string>;
  own: Set<string>;
}

/** What to highlight while a row is hovered: its links and the rows at their other ends. */
export function highlightedBy(layout: ColumnLineageLayout, hovered: HoveredColumn | null): Highlight {
  const lit: Highlight = { links: new Set(), upstream: new Set(), own: new Set() };
  if (hovered === null) return lit;
  for (const link of layout.links) {
    const touches = hovered.side === 'upstream' ? link.from === hovered.id : link.to === hovered.column;
    if (!touches) continue;
    lit.links.add(link.id);
    lit.upstream.add(link.from);
    lit.own.add(link.to);
  }
  return lit;
}
