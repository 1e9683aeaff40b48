import type { EntityManager } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import { describePartitions, PartitionError, partitionKeys } from '../partitions/partition-keys.js';
import { partitionKeyProblem, partitionSetNameProblem } from '../sdk/partitions.js';
import { insertDynamicPartitions } from '../storage/dynamic-partitions.js';
import { appendEvents } from '../storage/event-log.js';
import { loadPartitionContext } from './partition-plan.js';

/** One partition of an asset and its latest materialization. */
export interface PartitionStatusView {
  readonly key: string;
  readonly materializedAt: string | null;
  readonly runId: string | null;
}

/** An asset's partitions as `weir partitions list` shows them. */
export interface AssetPartitionsView {
  readonly assetKey: string;
  /** The definition in a few words, e.g. `daily from 2025-01-01 (UTC)`. */
  readonly definition: string;
  /** Every partition of the set now, in order. */
  readonly partitions: readonly PartitionStatusView[];
}

/**
 * The partitions of an asset at `now`, each with its latest materialization.
 * @throws PartitionError when the asset is not partitioned.
 */
export async function listAssetPartitions(
  manager: EntityManager,
  graph: AssetGraph,
  assetKey: string,
  now: Date,
): Promise<AssetPartitionsView> {
  const definition = graph.partitionsOf(assetKey);
  if (!definition) throw new PartitionError(`${assetKey} is not partitioned`);
  const ctx = await loadPartitionContext(manager, graph, [assetKey], now);
  const rows: Array<{ partition_key: string; created_at: Date; run_id: string }> = await manager.query(
    `SELECT DISTINCT ON (partition_key) partition_key, created_at, run_id FROM materializations
      WHERE asset_key = $1 ORDER BY partition_key, created_at DESC`,
    [assetKey],
  );
  const latest = new Map(rows.map((row) => [row.partition_key, row]));
  return {
    assetKey,
    definition: describePartitions(definition),
    partitions: partitionKeys(definition, ctx).map((key) => {
      const row = latest.get(key);
      return {
        key,
        materializedAt: row ? new Date(row.created_at).toISOString() : null,
        runId: row?.run_id ?? null,
      };
    }),
  };
}

/**
 * Adds keys to a dynamic partition set that some asset uses, and records it in the event log.
 * Returns the keys that were new.
 * @throws PartitionError naming an unknown set or an invalid key (nothing is added).
 */
export async function addDynamicPartitionKeys(
  manager: EntityManager,
  graph: AssetGraph,
  set: string,
  keys: readonly string[],
): Promise<string[]> {
  const nameProblem = partitionSetNameProblem(set);
  if (nameProblem) throw new PartitionError(nameProblem);
  const sets = new Set<string>();
  for (const key of graph.keys) {
    const definition = graph.partitionsOf(key);
    if (definition?.kind === 'dynamic') sets.add(definition.name);
  }
  if (!sets.has(set)) {
    throw new PartitionError(
      `no asset uses dynamic partitions '${set}'${sets.size ? ` (sets in use: ${[...sets].sort().join(', ')})` : ''}`,
    );
  }
  if (keys.length === 0) throw new PartitionError('give at least one partition key');
  const problems = keys.map(partitionKeyProblem).filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new PartitionError(problems.join('; '));
  const added = await insertDynamicPartitions(manager, set, [...new Set(keys)]);
  if (added.length > 0) {
    await appendEvents(manager, [
      {
        type: 'partitions.added',
        message: `added ${added.length} partition(s) to '${set}': ${added.slice(0, 10).join(', ')}${added.length > 10 ? ', …' : ''}`,
        data: { set, keys: added },
      },
    ]);
  }
  return added;
}
