import type { EntityManager } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import {
  currentPartitionKeys,
  keySpaceOf,
  PartitionError,
  partitionKeyProblem,
  partitionKeysBetween,
  sortPartitionKeys,
  type PartitionContext,
} from '../partitions/partition-keys.js';
import { upstreamPartitionKeys } from '../partitions/partition-mapping.js';
import type { PartitionsDefinition } from '../sdk/partitions.js';
import { readDynamicPartitions } from '../storage/dynamic-partitions.js';

/** One step to plan: an asset and one of its partitions (`''` for an unpartitioned asset). */
export interface StepTarget {
  readonly assetKey: string;
  readonly partitionKey: string;
}

/** The partitions a request names: a list of keys, or a range of them (both ends included). */
export type RequestedPartitions = readonly string[] | { readonly from: string; readonly to: string };

/** A target's identity within a run (its asset, and partition if any). */
export function stepTargetId(assetKey: string, partitionKey: string): string {
  return partitionKey === '' ? assetKey : `${assetKey}[${partitionKey}]`;
}

/** The partition context at `now`, with the keys of every dynamic set the given assets use. */
export async function loadPartitionContext(
  manager: EntityManager,
  graph: AssetGraph,
  assetKeys: Iterable<string>,
  now: Date,
): Promise<PartitionContext> {
  const sets = new Set<string>();
  for (const key of assetKeys) {
    const definition = graph.partitionsOf(key);
    if (definition?.kind === 'dynamic') sets.add(definition.name);
    for (const input of graph.mappedInputsOf(key)) {
      const upstream = graph.partitionsOf(input.key);
      if (upstream?.kind === 'dynamic') sets.add(upstream.name);
    }
  }
  const keys = await readDynamicPartitions(manager, [...sets]);
  return { now, dynamicKeys: (set) => keys.get(set) ?? [] };
}

/**
 * The steps of a run over `assetKeys` (in topological order). Without requested partitions, a
 * partitioned asset runs its current partitions (the last time partition; every static or
 * dynamic key). With them, the partitioned assets must share one key space (e.g. daily in one
 * time zone), each runs the requested keys that are in its own set, and unpartitioned assets in
 * the selection run once, as usual.
 * @throws PartitionError naming malformed keys, keys that are no asset's partition, or a mix of key spaces.
 */
export function resolveStepTargets(
  graph: AssetGraph,
  assetKeys: readonly string[],
  requested: RequestedPartitions | undefined,
  ctx: PartitionContext,
): StepTarget[] {
  const partitioned = partitionedOf(graph, assetKeys);
  const keysByAsset =
    requested === undefined
      ? new Map([...partitioned].map(([key, definition]) => [key, currentPartitionKeys(definition, ctx)]))
      : requestedKeysByAsset(partitioned, requested, ctx);
  return assetKeys.flatMap((assetKey) => {
    if (!partitioned.has(assetKey)) return [{ assetKey, partitionKey: '' }];
    return (keysByAsset.get(assetKey) ?? []).map((partitionKey) => ({ assetKey, partitionKey }));
  });
}

/**
 * The partition keys a backfill of `assetKeys` runs, in partition order: every selected asset
 * must be partitioned, in one key space.
 * @throws PartitionError as {@link resolveStepTargets}, and for unpartitioned assets.
 */
export function resolveBackfillKeys(
  graph: AssetGraph,
  assetKeys: readonly string[],
  requested: RequestedPartitions,
  ctx: PartitionContext,
): string[] {
  const unpartitioned = assetKeys.filter((key) => !graph.partitionsOf(key));
  if (unpartitioned.length > 0) {
    throw new PartitionError(
      `a backfill runs partitions, but ${unpartitioned.join(', ')} ${unpartitioned.length === 1 ? 'is' : 'are'} not partitioned: materialize ${unpartitioned.length === 1 ? 'it' : 'them'} separately and select only partitioned assets`,
    );
  }
  const partitioned = partitionedOf(graph, assetKeys);
  const byAsset = requestedKeysByAsset(partitioned, requested, ctx);
  const first = partitioned.values().next().value!;
  return sortPartitionKeys(first, [...new Set([...byAsset.values()].flat())], ctx);
}

function partitionedOf(graph: AssetGraph, assetKeys: readonly string[]): Map<string, PartitionsDefinition> {
  const partitioned = new Map<string, PartitionsDefinition>();
  for (const key of assetKeys) {
    const definition = graph.partitionsOf(key);
    if (definition) partitioned.set(key, definition);
  }
  return partitioned;
}

function requestedKeysByAsset(
  partitioned: ReadonlyMap<string, PartitionsDefinition>,
  requested: RequestedPartitions,
  ctx: PartitionContext,
): Map<string, string[]> {
  if (partitioned.size === 0) throw new PartitionError('partitions were given, but no selected asset is partitioned');
  const spaces = new Map<string, string[]>();
  for (const [key, definition] of partitioned) {
    const space = keySpaceOf(definition);
    spaces.set(space, [...(spaces.get(space) ?? []), key]);
  }
  if (spaces.size > 1) {
    const listed = [...spaces].map(([space, keys]) => `${keys.join(', ')} (${space})`).join('; ');
    throw new PartitionError(`the selection mixes partitions: ${listed}. Select assets partitioned alike`);
  }
  const byAsset = new Map<string, string[]>();
  const problems: string[] = [];
  for (const [assetKey, definition] of partitioned) {
    if (Array.isArray(requested)) {
      const keys = [...new Set(requested as readonly string[])];
      const valid = keys.filter((key) => partitionKeyProblem(definition, key, ctx) === undefined);
      byAsset.set(assetKey, sortPartitionKeys(definition, valid, ctx));
      for (const key of keys)
        if (!valid.includes(key)) problems.push(`${assetKey}: ${partitionKeyProblem(definition, key, ctx)!}`);
    } else {
      const range = requested as { from: string; to: string };
      try {
        byAsset.set(assetKey, partitionKeysBetween(definition, range.from, range.to, ctx));
      } catch (error) {
        if (!(error instanceof PartitionError)) throw error;
        problems.push(`${assetKey}: ${error.message}`);
      }
    }
  }
  // A key (or range) that fits some of the assets runs for those: assets may start at different dates.
  const wanted = Array.isArray(requested) ? new Set(requested as readonly string[]) : undefined;
  const covered = new Set([...byAsset.values()].flat());
  const uncovered = wanted ? [...wanted].filter((key) => !covered.has(key)) : covered.size === 0 ? ['range'] : [];
  if (uncovered.length > 0) {
    const relevant = wanted ? problems.filter((p) => uncovered.some((key) => p.includes(`'${key}'`))) : problems;
    throw new PartitionError(
      relevant.length === 1 ? relevant[0]! : `invalid partitions:\n  - ${relevant.join('\n  - ')}`,
    );
  }
  return byAsset;
}

/**
 * For each target, the targets of the same run it reads (per its inputs' partition mappings):
 * a step waits for the steps of the upstream partitions it reads that are in the run.
 */
export function targetDependencies(graph: AssetGraph, targets: readonly StepTarget[]): Map<string, string[]> {
  const byAsset = new Map<string, Map<string, string>>();
  for (const target of targets) {
    const partitions = byAsset.get(target.assetKey) ?? new Map<string, string>();
    partitions.set(target.partitionKey, stepTargetId(target.assetKey, target.partitionKey));
    byAsset.set(target.assetKey, partitions);
  }
  const position = new Map(targets.map((target, i) => [stepTargetId(target.assetKey, target.partitionKey), i]));
  const dependencies = new Map<string, string[]>();
  for (const target of targets) {
    const found = new Set<string>();
    for (const input of graph.mappedInputsOf(target.assetKey)) {
      const upstream = byAsset.get(input.key);
      if (!upstream) continue;
      const keys = upstreamPartitionKeys(
        input.mapping,
        graph.partitionsOf(target.assetKey),
        graph.partitionsOf(input.key),
        target.partitionKey,
      );
      if (keys === undefined) for (const id of upstream.values()) found.add(id);
      else for (const key of keys) if (upstream.has(key)) found.add(upstream.get(key)!);
    }
    // In run order (upstream first), whatever order the inputs were declared in.
    dependencies.set(
      stepTargetId(target.assetKey, target.partitionKey),
      [...found].sort((a, b) => position.get(a)! - position.get(b)!),
    );
  }
  return dependencies;
}
