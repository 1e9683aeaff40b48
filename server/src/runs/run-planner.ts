import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import { RunEntity, type RunTrigger } from '../storage/entities/run.entity.js';
import { StepEntity } from '../storage/entities/step.entity.js';
import { appendEvents } from '../storage/event-log.js';
import type { JsonObject } from '../storage/json-value.js';
import { PartitionError } from '../partitions/partition-keys.js';
import { checkRunConfig } from './run-config.js';
import { groupMultiAssetOutputs } from './multi-asset-plan.js';
import {
  loadPartitionContext,
  resolveStepTargets,
  stepTargetId,
  targetDependencies,
  type RequestedPartitions,
  type StepTarget,
} from './partition-plan.js';

export type { RequestedPartitions, StepTarget } from './partition-plan.js';

/** A request to materialize some assets. */
export interface RunRequest {
  readonly selection: string;
  /**
   * Partitions of the selected partitioned assets: keys, or a range `{ from, to }` (both
   * included). Without it, each partitioned asset runs its current partitions (the last time
   * partition; every static or dynamic key).
   */
  readonly partitions?: RequestedPartitions;
  readonly trigger: RunTrigger;
  readonly triggerDetail?: Record<string, unknown>;
  readonly parentRunId?: string;
  readonly idempotencyKey?: string;
  /**
   * Run config keyed by asset key (`{ "<asset key>": {...} }`). {@link planRun} validates it;
   * callers of {@link planSteps} pass a config already validated.
   */
  readonly config?: unknown;
}

/** Raised when a run request selects nothing that can be materialized. */
export class EmptySelectionError extends Error {
  constructor(selection: string, onlySources: boolean) {
    super(
      onlySources
        ? `selection '${selection}' matches only source assets, which Weir observes but never materializes`
        : `selection '${selection}' matches no assets`,
    );
    this.name = 'EmptySelectionError';
  }
}

/**
 * Turns a selection into a run and its steps (one per asset and partition), written in one
 * transaction. Steps depend on the steps of the upstream partitions they read that are in the
 * same run; upstreams outside the run are read from their latest materialization.
 */
export async function planRun(
  dataSource: DataSource,
  graph: AssetGraph,
  snapshotId: string,
  request: RunRequest,
  now: Date,
): Promise<RunEntity> {
  const selected = graph.select(request.selection);
  const keys = selected.filter((key) => graph.get(key).kind === 'asset');
  if (keys.length === 0) throw new EmptySelectionError(request.selection, selected.length > 0);
  // Before the transaction: a refused config writes nothing.
  const config = await checkRunConfig(graph, keys, request.config);
  try {
    return await dataSource.transaction(async (manager) => {
      // A repeated request finds its run even if the definitions changed since.
      const existing = request.idempotencyKey
        ? await manager.getRepository(RunEntity).findOneBy({ idempotencyKey: request.idempotencyKey })
        : null;
      if (existing) return existing;
      const ctx = await loadPartitionContext(manager, graph, keys, now);
      const targets = resolveStepTargets(graph, keys, request.partitions, ctx);
      if (targets.length === 0) {
        throw new PartitionError(
          `nothing to run: ${keys.join(', ')} ${keys.length === 1 ? 'has' : 'have'} no partition yet`,
        );
      }
      return planStepsIn(manager, graph, snapshotId, { ...request, config }, targets, new Map());
    });
  } catch (error) {
    // Two processes delivered the same trigger at once: the unique key let one run through.
    const existing =
      request.idempotencyKey && isUniqueViolation(error)
        ? await dataSource.getRepository(RunEntity).findOneBy({ idempotencyKey: request.idempotencyKey })
        : null;
    if (existing) return existing;
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } })?.driverError?.code ??
    (error as { code?: unknown })?.code;
  return code === '23505';
}

/**
 * Writes a run over `targets` (in topological order of their assets). A target whose
 * {@link stepTargetId} is in `reuse` starts as succeeded with that materialization as its
 * output (re-execution): it is not computed again, and its downstream steps read that output.
 */
export async function planSteps(
  dataSource: DataSource,
  graph: AssetGraph,
  snapshotId: string,
  request: RunRequest,
  targets: readonly StepTarget[],
  reuse: ReadonlyMap<string, string>,
): Promise<RunEntity> {
  return dataSource.transaction((manager) => planStepsIn(manager, graph, snapshotId, request, targets, reuse));
}

/** {@link planSteps} inside the caller's transaction (automation plans and consumes events atomically). */
export async function planStepsIn(
  manager: EntityManager,
  graph: AssetGraph,
  snapshotId: string,
  request: RunRequest,
  targets: readonly StepTarget[],
  reuse: ReadonlyMap<string, string>,
): Promise<RunEntity> {
  const runId = randomUUID();
  const ids = targets.map((target) => stepTargetId(target.assetKey, target.partitionKey));
  const stepIds = new Map(ids.map((id) => [id, randomUUID()]));
  const dependencies = targetDependencies(graph, targets);
  groupMultiAssetOutputs(graph, targets, dependencies, (id) => reuse.has(id));
  const steps = targets.map((target, ordinal) => ({
    ordinal,
    id: stepIds.get(ids[ordinal]!)!,
    runId,
    assetKey: target.assetKey,
    partitionKey: target.partitionKey,
    pool: poolOf(graph, target.assetKey),
    status: reuse.has(ids[ordinal]!) ? ('succeeded' as const) : ('pending' as const),
    reusedMaterializationId: reuse.get(ids[ordinal]!) ?? null,
    dependsOn: dependencies.get(ids[ordinal]!)!.map((id) => stepIds.get(id)!),
    dependents: [] as string[],
    waitingOn: 0,
    attemptCount: 0,
  }));
  const byId = new Map(steps.map((step) => [step.id, step]));
  for (const step of steps) {
    step.waitingOn = step.dependsOn.filter((id) => byId.get(id)!.status !== 'succeeded').length;
    for (const upstream of step.dependsOn) byId.get(upstream)!.dependents.push(step.id);
  }
  const toRun = steps.filter((step) => step.status === 'pending').length;

  if (request.idempotencyKey) {
    const existing = await manager.getRepository(RunEntity).findOneBy({ idempotencyKey: request.idempotencyKey });
    if (existing) return existing;
  }
  const run = manager.getRepository(RunEntity).create({
    id: runId,
    status: 'queued',
    trigger: request.trigger,
    triggerDetail: (request.triggerDetail ?? {}) as JsonObject,
    selection: request.selection,
    config: (request.config ?? null) as JsonObject | null,
    snapshotId,
    parentRunId: request.parentRunId ?? null,
    idempotencyKey: request.idempotencyKey ?? null,
    startedAt: null,
    endedAt: null,
  });
  await manager.insert(RunEntity, run);
  // Chunked: one INSERT per 1000 steps keeps parameter counts under Postgres' limit.
  for (let i = 0; i < steps.length; i += 1000) await manager.insert(StepEntity, steps.slice(i, i + 1000));
  const assets = [...new Set(targets.map((target) => target.assetKey))];
  const partitions = [...new Set(targets.map((target) => target.partitionKey).filter((key) => key !== ''))];
  const shown = partitions.length === 0 ? '' : `, ${describeKeys(partitions)}`;
  await appendEvents(manager, [
    {
      type: 'run.created',
      message:
        reuse.size > 0
          ? `run created by ${request.trigger} for '${request.selection}': ${toRun} step(s) to run, ${reuse.size} reused from run ${request.parentRunId}`
          : `run created by ${request.trigger} for '${request.selection}' (${targets.length} step${targets.length === 1 ? '' : 's'}${shown})`,
      runId,
      data: {
        selection: request.selection,
        trigger: request.trigger,
        assets,
        ...(partitions.length ? { partitions } : {}),
      },
    },
  ]);
  return await manager.getRepository(RunEntity).findOneByOrFail({ id: runId });
}

/** `partition 2025-01-01`, or `31 partitions 2025-01-01 … 2025-01-31`. */
function describeKeys(keys: readonly string[]): string {
  return keys.length === 1 ? `partition ${keys[0]}` : `${keys.length} partitions ${keys[0]} … ${keys.at(-1)}`;
}

function poolOf(graph: AssetGraph, key: string): string | null {
  const definition = graph.get(key);
  return definition.kind === 'asset' ? (definition.pool ?? null) : null;
}
