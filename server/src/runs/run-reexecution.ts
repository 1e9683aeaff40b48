import { In, type DataSource } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import { MaterializationEntity } from '../storage/entities/materialization.entity.js';
import { RunEntity, type RunTrigger } from '../storage/entities/run.entity.js';
import { StepEntity } from '../storage/entities/step.entity.js';
import { planSteps } from './run-planner.js';
import { stepTargetId } from './partition-plan.js';
import { checkRunConfig } from './run-config.js';

/** `from-failure`: reuse what succeeded, run the rest. `all`: run every step again. */
export type ReexecutionMode = 'from-failure' | 'all';

/** How a re-execution is recorded when another part of Weir asks for it (a backfill retrying a partition). */
export interface ReexecutionOptions {
  /** Default `reexecution`. */
  readonly trigger?: RunTrigger;
  /** Added to `{ parentRunId, mode }`. */
  readonly triggerDetail?: Record<string, unknown>;
  /** A repeated request with the same key finds the run planned the first time. */
  readonly idempotencyKey?: string;
}

/** A run cannot be re-executed as asked; the message says why. */
export class ReexecutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReexecutionError';
  }
}

/**
 * Plans a new run over the assets of run `parentRunId`. From failure, each step that succeeded
 * there starts as succeeded with the same output (its object-store URI is reused, nothing is
 * recomputed), and the failed, skipped and canceled steps run again with their downstream.
 */
export async function planReexecution(
  dataSource: DataSource,
  graph: AssetGraph,
  snapshotId: string,
  parentRunId: string,
  mode: ReexecutionMode,
  options: ReexecutionOptions = {},
): Promise<RunEntity> {
  const parent = await dataSource.getRepository(RunEntity).findOneBy({ id: parentRunId });
  if (!parent) throw new ReexecutionError(`run ${parentRunId} does not exist`);
  if (parent.status === 'queued' || parent.status === 'running' || parent.status === 'canceling') {
    throw new ReexecutionError(`run ${parentRunId} is still ${parent.status}: wait for it to end or cancel it first`);
  }
  if (mode === 'from-failure' && parent.status === 'succeeded') {
    throw new ReexecutionError(
      `run ${parentRunId} succeeded: there is no failure to re-execute from (use --all to run it again)`,
    );
  }
  const steps = await dataSource
    .getRepository(StepEntity)
    .find({ where: { runId: parentRunId }, order: { ordinal: 'ASC' } });
  const missing = steps
    .map((step) => step.assetKey)
    .filter((key) => !graph.has(key) || graph.get(key).kind !== 'asset');
  if (missing.length > 0) {
    throw new ReexecutionError(`run ${parentRunId} has assets that are no longer defined: ${missing.join(', ')}`);
  }
  // The parent's config, checked against the schemas as they are now (they may have changed).
  const config = await checkRunConfig(graph, [...new Set(steps.map((step) => step.assetKey))], parent.config);
  const reuse = new Map<string, string>();
  if (mode === 'from-failure') {
    const succeeded = steps.filter((step) => step.status === 'succeeded');
    const produced = succeeded.length
      ? await dataSource
          .getRepository(MaterializationEntity)
          .find({ where: { stepId: In(succeeded.map((s) => s.id)) } })
      : [];
    const byStep = new Map(produced.map((m) => [m.stepId, m.id]));
    for (const step of succeeded) {
      // A step that was itself reused points at the materialization it reused.
      const materializationId = step.reusedMaterializationId ?? byStep.get(step.id);
      if (materializationId) reuse.set(stepTargetId(step.assetKey, step.partitionKey), materializationId);
    }
  }
  // The parent's steps, assets upstream first as the graph orders them now, partitions in the parent's order.
  const position = new Map(graph.sortTopologically(steps.map((step) => step.assetKey)).map((key, i) => [key, i]));
  const targets = steps
    .map((step, ordinal) => ({ assetKey: step.assetKey, partitionKey: step.partitionKey, ordinal }))
    .sort((a, b) => position.get(a.assetKey)! - position.get(b.assetKey)! || a.ordinal - b.ordinal)
    .map(({ assetKey, partitionKey }) => ({ assetKey, partitionKey }));
  return planSteps(
    dataSource,
    graph,
    snapshotId,
    {
      selection: parent.selection,
      trigger: options.trigger ?? 'reexecution',
      triggerDetail: { ...options.triggerDetail, parentRunId, mode },
      parentRunId,
      idempotencyKey: options.idempotencyKey,
      config,
    },
    targets,
    reuse,
  );
}
