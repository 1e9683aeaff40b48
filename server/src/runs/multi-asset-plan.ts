import type { AssetGraph } from '../graph/asset-graph.js';
import { stepTargetId, type StepTarget } from './partition-plan.js';

/**
 * Makes the outputs of one multi-asset that a run computes (per partition) one unit of work,
 * as a Dagster op yields several asset materializations. The first of them in plan order leads:
 * the others depend on it, its attempt runs the function once for all of them, and its commit
 * records each output's materialization and completes their steps (see multi-asset-steps.ts).
 * They share their upstreams, so waiting on the leader delays none of them.
 *
 * `dependencies` (target id → upstream target ids) is extended in place. Reused targets
 * (re-execution) are not computed and so neither lead nor follow.
 */
export function groupMultiAssetOutputs(
  graph: AssetGraph,
  targets: readonly StepTarget[],
  dependencies: Map<string, string[]>,
  reused: (targetId: string) => boolean,
): void {
  const leaders = new Map<string, string>();
  for (const target of targets) {
    const definition = graph.get(target.assetKey);
    const membership = definition.kind === 'asset' ? definition.multiAsset : undefined;
    const id = stepTargetId(target.assetKey, target.partitionKey);
    if (!membership || reused(id)) continue;
    // The keys identify the multi-asset: two multi-assets could share a name, not an output key.
    const group = `${Object.values(membership.keys).join('\n')}\n[${target.partitionKey}]`;
    const leader = leaders.get(group);
    if (leader === undefined) leaders.set(group, id);
    else dependencies.get(id)!.push(leader);
  }
}

/** The asset keys of the other outputs of `assetKey`'s multi-asset (none for an ordinary asset). */
export function siblingOutputKeys(graph: AssetGraph, assetKey: string): string[] {
  const definition = graph.get(assetKey);
  const membership = definition.kind === 'asset' ? definition.multiAsset : undefined;
  return membership ? Object.values(membership.keys).filter((key) => key !== assetKey && graph.has(key)) : [];
}
