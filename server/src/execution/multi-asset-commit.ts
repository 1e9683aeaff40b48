import { In, type EntityManager } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import { deliverUpstreamEvent } from '../automation/upstream-events.js';
import {
  blockingFailure,
  outputCheckEvents,
  recordCheckResults,
  storedOutputEventData,
  type CheckRecord,
} from '../runs/check-results.js';
import { siblingOutputKeys } from '../runs/multi-asset-plan.js';
import { releaseDependents } from '../runs/run-completion.js';
import { insertMaterialization } from '../runs/step-transitions.js';
import { StepEntity } from '../storage/entities/step.entity.js';
import { appendEvents } from '../storage/event-log.js';
import type { MetadataValue } from '../sdk/context.js';
import type { StepJob } from './executor.port.js';
import type { SiblingOutputResult } from './isolate/step-task.js';

/*
 * A multi-asset's outputs selected in one run are one unit of work (see multi-asset-plan.ts):
 * the leader's attempt runs the function once and its commit records every output. Each
 * sibling output keeps its own step (its own status, checks, lineage and downstream edges),
 * completed here without an attempt of its own: its materialization names the leader's attempt.
 */

/** The steps of sibling outputs that wait on `step` to produce them in its run. */
export async function siblingStepsOf(
  manager: EntityManager,
  graph: AssetGraph,
  step: Pick<StepEntity, 'id' | 'runId' | 'assetKey' | 'partitionKey'>,
): Promise<StepEntity[]> {
  const keys = siblingOutputKeys(graph, step.assetKey);
  if (keys.length === 0) return [];
  const rows = await manager.getRepository(StepEntity).findBy({
    runId: step.runId,
    partitionKey: step.partitionKey,
    assetKey: In(keys),
    status: 'pending',
  });
  return rows.filter((row) => row.dependsOn.includes(step.id));
}

/** A sibling output's committed materialization, as the step runner announces it. */
export interface SiblingMaterialization {
  readonly id: string;
  readonly assetKey: string;
  readonly partitionKey: string;
  readonly runId: string;
  readonly at: Date;
}

/** What committing the siblings did. */
export interface SiblingCommit {
  /** Materializations to announce (not those a blocking check failed on). */
  readonly materializations: readonly SiblingMaterialization[];
  /** Their downstream steps made ready. */
  readonly ready: readonly StepJob[];
  /** A blocking check failed on a sibling: its step failed and the run must skip its downstream. */
  readonly blocked: boolean;
}

/**
 * Inside the leader's commit (after its own materialization): records each sibling output,
 * runs its step to its end (succeeded, or failed on a blocking check), delivers its upstream
 * event and releases its dependents. A sibling step no longer pending (cancelled meanwhile)
 * is left alone, and so is its output.
 */
export async function commitSiblingOutputs(
  manager: EntityManager,
  graph: AssetGraph,
  leader: { step: StepEntity; attemptId: string },
  results: readonly SiblingOutputResult[],
  metadata: Record<string, MetadataValue>,
  now: Date,
): Promise<SiblingCommit> {
  const materializations: SiblingMaterialization[] = [];
  const ready: StepJob[] = [];
  let blocked = false;
  for (const result of results) {
    const step = await manager.getRepository(StepEntity).findOne({
      where: { runId: leader.step.runId, partitionKey: leader.step.partitionKey, assetKey: result.assetKey },
      lock: { mode: 'pessimistic_write' },
    });
    if (!step || step.status !== 'pending' || !step.dependsOn.includes(leader.step.id)) continue;
    const definition = graph.get(step.assetKey);
    const codeVersion = definition.kind === 'asset' ? definition.codeVersion : undefined;
    const id = await insertMaterialization(manager, step, leader.attemptId, { ...result, metadata, codeVersion });
    const failure = await endSiblingStep(manager, step, leader, { ...result, materializationId: id, metadata }, now);
    if (failure) {
      blocked = true;
      continue;
    }
    await deliverUpstreamEvent(manager, graph, {
      assetKey: step.assetKey,
      partitionKey: step.partitionKey,
      materializationId: id,
    });
    materializations.push({ id, assetKey: step.assetKey, partitionKey: step.partitionKey, runId: step.runId, at: now });
    ready.push(...(await releaseDependents(manager, step.dependents, step.runId)));
  }
  return { materializations, ready, blocked };
}

/** Records the sibling's check results and ends its step; returns the blocking failure, if any. */
async function endSiblingStep(
  manager: EntityManager,
  step: StepEntity,
  leader: { step: StepEntity; attemptId: string },
  result: SiblingOutputResult & { materializationId: string; metadata: Record<string, MetadataValue> },
  now: Date,
): Promise<string | undefined> {
  const checks: readonly CheckRecord[] = result.checks;
  const failure = blockingFailure(checks);
  const base = { runId: step.runId, stepId: step.id, attemptId: leader.attemptId, assetKey: step.assetKey };
  const checkEvents = await recordCheckResults(
    manager,
    { ...base, id: result.materializationId, partitionKey: step.partitionKey },
    checks,
  );
  await manager.update(StepEntity, step.id, {
    status: failure ? 'failed' : 'succeeded',
    startedAt: leader.step.startedAt ?? now,
    endedAt: now,
    errorMessage: failure ?? null,
  });
  const { output } = result;
  const where = output.ref ? `stored at ${output.ref.uri}` : 'stored inline';
  await appendEvents(manager, [
    {
      ...base,
      type: 'step.materialized',
      message: `materialized by the step of ${leader.step.assetKey}, which produced this output with it (${output.valueType}, ${output.size} bytes, ${where})`,
      data: { producedByStep: leader.step.id, ...storedOutputEventData(output, result.metadata, failure) },
    },
    ...outputCheckEvents(base, checkEvents, failure, { materializationId: result.materializationId }),
  ]);
  return failure;
}
