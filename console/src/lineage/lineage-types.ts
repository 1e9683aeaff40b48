/**
 * The lineage's view of the asset graph, as the `assetGraph` query returns it. Plain data: the
 * graph wrapper turns it into Cytoscape elements, the layout worker into positions.
 */

/** `AssetStatus` of the API, most urgent first in {@link STATUS_PRIORITY}. */
export type AssetStatus = 'FRESH' | 'STALE' | 'RUNNING' | 'FAILED' | 'LATE' | 'NEVER_MATERIALIZED';

export type AssetKind = 'ASSET' | 'SOURCE';

export interface LineageNode {
  key: string;
  group: string;
  kind: AssetKind;
  status: AssetStatus;
}

/** `from` is upstream of `to`. */
export interface LineageEdge {
  from: string;
  to: string;
}

export interface LineageGraphData {
  /** Changes only when definitions change: the layout is recomputed only then. */
  hash: string;
  nodes: LineageNode[];
  edges: LineageEdge[];
}

/** Live status of some assets, applied over the statuses the graph was loaded with. */
export type StatusOverrides = ReadonlyMap<string, AssetStatus>;
