import type { EntityManager } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';

/** Whether an asset's latest materialization still reflects its upstreams and its code. */
export interface Staleness {
  readonly assetKey: string;
  /** Latest materialization (or observation, for a source asset), if any. */
  readonly lastUpdatedAt: string | null;
  readonly stale: boolean;
  readonly reasons: readonly string[];
}

/**
 * Staleness of every asset: stale when an upstream was updated after the asset's latest
 * materialization, or when its code version differs from the one that materialization
 * recorded. A never-materialized asset is not stale, it is missing (`lastUpdatedAt: null`).
 * Two queries whatever the size of the graph.
 */
export async function computeStaleness(manager: EntityManager, graph: AssetGraph): Promise<Staleness[]> {
  const materialized: Array<{ asset_key: string; created_at: Date; code_version: string | null }> = await manager.query(
    `SELECT DISTINCT ON (asset_key) asset_key, created_at, code_version FROM materializations ORDER BY asset_key, created_at DESC`,
  );
  const observed: Array<{ asset_key: string; created_at: Date }> = await manager.query(
    `SELECT asset_key, max(created_at) AS created_at FROM observations GROUP BY asset_key`,
  );
  const latest = new Map<string, { at: Date; codeVersion: string | null }>();
  for (const row of observed) latest.set(row.asset_key, { at: new Date(row.created_at), codeVersion: null });
  for (const row of materialized)
    latest.set(row.asset_key, { at: new Date(row.created_at), codeVersion: row.code_version });
  return graph.keys.map((key) => {
    const definition = graph.get(key);
    const own = latest.get(key);
    const reasons: string[] = [];
    if (own && definition.kind === 'asset') {
      if ((definition.codeVersion ?? null) !== own.codeVersion) {
        reasons.push(`code version changed from ${own.codeVersion ?? 'none'} to ${definition.codeVersion ?? 'none'}`);
      }
      for (const upstream of graph.upstreamOf(key)) {
        const theirs = latest.get(upstream);
        if (theirs && theirs.at > own.at)
          reasons.push(`upstream ${upstream} updated at ${theirs.at.toISOString()}, after ${own.at.toISOString()}`);
      }
    }
    return { assetKey: key, lastUpdatedAt: own ? own.at.toISOString() : null, stale: reasons.length > 0, reasons };
  });
}
