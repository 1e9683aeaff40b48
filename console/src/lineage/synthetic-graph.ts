/**
 * A deterministic, realistic-looking asset graph of any size, for tests and the lineage
 * benchmark: groups are pipelines a few layers deep (medallion style), each asset reads one to
 * three assets of the previous layer nearby, and about one in twenty also reads from an earlier
 * group. Random bipartite graphs would be far harder to lay out than real lineages are.
 */
import type { AssetStatus, LineageGraphData, LineageNode } from './lineage-types';

export interface SyntheticGraphOptions {
  assets: number;
  /** Assets per group (default 250). */
  groupSize?: number;
  /** Layers per group pipeline (default 6). */
  depth?: number;
  seed?: number;
}

const STATUSES: AssetStatus[] = [
  'FRESH',
  'FRESH',
  'FRESH',
  'FRESH',
  'STALE',
  'RUNNING',
  'FAILED',
  'LATE',
  'NEVER_MATERIALIZED',
];

export function syntheticGraph({
  assets,
  groupSize = 250,
  depth = 6,
  seed = 7,
}: SyntheticGraphOptions): LineageGraphData {
  let state = seed;
  const random = () => (state = (state * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff;

  const groupCount = Math.max(1, Math.ceil(assets / groupSize));
  const perLayer = Math.max(1, Math.ceil(groupSize / depth));
  const layers: string[][][] = Array.from({ length: groupCount }, () => []);
  const nodes: LineageNode[] = [];
  const layerOf = new Map<string, number>();

  for (let i = 0; i < assets; i++) {
    const group = i % groupCount;
    const layer = Math.min(depth - 1, Math.floor(Math.floor(i / groupCount) / perLayer));
    const key = `g${group}/asset_${i}`;
    nodes.push({
      key,
      group: `g${group}`,
      kind: layer === 0 && random() < 0.3 ? 'SOURCE' : 'ASSET',
      status: STATUSES[Math.floor(random() * STATUSES.length)]!,
    });
    (layers[group]![layer] ??= []).push(key);
    layerOf.set(key, layer);
  }

  const edges: LineageGraphData['edges'] = [];
  const seen = new Set<string>();
  const link = (from: string, to: string) => {
    const id = `${from}>${to}`;
    if (!seen.has(id)) {
      seen.add(id);
      edges.push({ from, to });
    }
  };
  nodes.forEach((node, index) => {
    const layer = layerOf.get(node.key)!;
    if (layer === 0) return;
    const group = index % groupCount;
    const previous = layers[group]![layer - 1]!;
    const here = layers[group]![layer]!;
    const centre = Math.floor((here.indexOf(node.key) / here.length) * previous.length);
    const reads = 1 + Math.floor(random() * 3);
    for (let r = 0; r < reads; r++) {
      const near = Math.max(0, Math.min(previous.length - 1, centre + Math.floor((random() - 0.5) * 8)));
      link(previous[near]!, node.key);
    }
    if (group > 0 && random() < 0.05) {
      const other = layers[Math.floor(random() * group)]!;
      const from = other[Math.min(layer, other.length - 1)]!;
      link(from[Math.floor(random() * from.length)]!, node.key);
    }
  });

  return { hash: `synthetic-${assets}-${groupSize}-${depth}-${seed}`, nodes, edges };
}
