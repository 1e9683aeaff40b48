import type { EntityManager } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import { decodeOutput } from '../io/payload-codec.js';
import type { ObjectStore } from '../io/object-store.port.js';
import { NonRetryableError } from '../sdk/retry.js';
import type { ObservationInput } from '../sdk/source-asset.js';
import { MaterializationEntity } from '../storage/entities/materialization.entity.js';
import { ObservationEntity } from '../storage/entities/observation.entity.js';
import { StepEntity } from '../storage/entities/step.entity.js';

/**
 * The materialization an input reads: the one produced by the upstream step of the same run
 * when there is one, else the asset's latest.
 */
export async function upstreamMaterialization(
  manager: EntityManager,
  runId: string,
  upstreamKey: string,
  partitionKey: string,
): Promise<MaterializationEntity | null> {
  const inRun = await manager.getRepository(StepEntity).findOneBy({ runId, assetKey: upstreamKey, partitionKey });
  if (inRun) {
    const id = inRun.reusedMaterializationId;
    return id
      ? manager.getRepository(MaterializationEntity).findOneBy({ id })
      : manager.getRepository(MaterializationEntity).findOneBy({ stepId: inRun.id });
  }
  return manager
    .getRepository(MaterializationEntity)
    .findOne({ where: { assetKey: upstreamKey, partitionKey }, order: { createdAt: 'DESC' } });
}

async function latestObservation(manager: EntityManager, key: string, partitionKey: string): Promise<ObservationInput> {
  const row = await manager
    .getRepository(ObservationEntity)
    .findOne({ where: { assetKey: key, partitionKey }, order: { createdAt: 'DESC' } });
  if (!row) return undefined;
  return {
    observedAt: row.createdAt.toISOString(),
    dataVersion: row.dataVersion ?? undefined,
    metadata: row.metadata as Record<string, unknown>,
  };
}

/**
 * Loads the `inputs` argument of a step: each upstream's output decoded into the shape it was
 * produced in (streams are opened lazily as streams, never read whole).
 */
export async function loadInputs(
  manager: EntityManager,
  store: ObjectStore,
  graph: AssetGraph,
  step: { runId: string; assetKey: string; partitionKey: string },
): Promise<Record<string, unknown>> {
  const inputs: Record<string, unknown> = {};
  for (const { name, key } of graph.inputsOf(step.assetKey)) {
    if (graph.get(key).kind === 'source') {
      inputs[name] = await latestObservation(manager, key, step.partitionKey);
      continue;
    }
    const row = await upstreamMaterialization(manager, step.runId, key, step.partitionKey);
    if (!row) {
      throw new NonRetryableError(
        `input '${name}' of ${step.assetKey} needs ${key}, which has never been materialized: materialize it first or select it too (e.g. '+${step.assetKey}')`,
      );
    }
    inputs[name] = await decodeOutput(
      { valueType: row.valueType, inline: row.outputInline, ref: row.outputRef },
      store,
    );
  }
  return inputs;
}
