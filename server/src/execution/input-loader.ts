import { In, type EntityManager } from 'typeorm';
import type { AssetGraph, MappedInput } from '../graph/asset-graph.js';
import { sortPartitionKeys, timeKeySpace } from '../partitions/partition-keys.js';
import { readsMany, upstreamPartitionKeys } from '../partitions/partition-mapping.js';
import { NonRetryableError } from '../sdk/retry.js';
import type { ObservationInput } from '../sdk/source-asset.js';
import type { InputDescriptor, StoredValue } from './isolate/step-task.js';
import { readDynamicPartitions } from '../storage/dynamic-partitions.js';
import { MaterializationEntity } from '../storage/entities/materialization.entity.js';
import { ObservationEntity } from '../storage/entities/observation.entity.js';
import { StepEntity } from '../storage/entities/step.entity.js';

/**
 * The materializations an input reads, by partition: the one produced by the upstream step of
 * the same run when there is one, else the partition's latest. `undefined` partitions means
 * every partition materialized so far. Partitions without one are left out.
 */
async function upstreamMaterializations(
  manager: EntityManager,
  runId: string,
  upstreamKey: string,
  partitionKeys: readonly string[] | undefined,
): Promise<Map<string, MaterializationEntity>> {
  const found = new Map<string, MaterializationEntity>();
  const inRun = await manager.getRepository(StepEntity).find({
    where: { runId, assetKey: upstreamKey, ...(partitionKeys ? { partitionKey: In([...partitionKeys]) } : {}) },
  });
  const repository = manager.getRepository(MaterializationEntity);
  const reused = inRun.flatMap((step) => (step.reusedMaterializationId ? [step.reusedMaterializationId] : []));
  const produced = inRun.filter((step) => !step.reusedMaterializationId).map((step) => step.id);
  const rows = [
    ...(reused.length ? await repository.findBy({ id: In(reused) }) : []),
    ...(produced.length ? await repository.findBy({ stepId: In(produced) }) : []),
  ];
  for (const row of rows) found.set(row.partitionKey, row);
  // A step of the run that has no output (yet) is not replaced by an older materialization:
  // the planner made this step wait for it, so that cannot happen unless it was skipped.
  const planned = new Set(inRun.map((step) => step.partitionKey));
  const rest = partitionKeys?.filter((key) => !planned.has(key));
  if (rest && rest.length === 0) return found;
  if (rest && rest.length === 1) {
    // The common case (one partition, or none): an index lookup of the newest row.
    const row = await repository.findOne({
      where: { assetKey: upstreamKey, partitionKey: rest[0]! },
      order: { createdAt: 'DESC' },
    });
    if (row) found.set(row.partitionKey, row);
    return found;
  }
  const latest: Array<{ id: string }> = await manager.query(
    `SELECT DISTINCT ON (partition_key) id FROM materializations
      WHERE asset_key = $1 ${rest ? 'AND partition_key = ANY($2::text[])' : ''}
      ORDER BY partition_key, created_at DESC`,
    rest ? [upstreamKey, rest] : [upstreamKey],
  );
  const ids = latest.map((row) => row.id);
  for (const row of ids.length ? await repository.findBy({ id: In(ids) }) : []) {
    if (!planned.has(row.partitionKey)) found.set(row.partitionKey, row);
  }
  return found;
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
 * Finds what the `inputs` argument of a step is made of: each upstream's stored output (the
 * isolate decodes it into the shape it was produced in, opening streams lazily). An input
 * reading many partitions lists them in partition order.
 */
export async function loadInputs(
  manager: EntityManager,
  graph: AssetGraph,
  step: { runId: string; assetKey: string; partitionKey: string },
): Promise<Record<string, InputDescriptor>> {
  const inputs: Record<string, InputDescriptor> = {};
  for (const input of graph.mappedInputsOf(step.assetKey)) {
    const { name, key } = input;
    if (graph.get(key).kind === 'source') {
      inputs[name] = { kind: 'value', value: await latestObservation(manager, key, '') };
      continue;
    }
    const wanted = upstreamPartitionKeys(
      input.mapping,
      graph.partitionsOf(step.assetKey),
      graph.partitionsOf(key),
      step.partitionKey,
    );
    const rows = await upstreamMaterializations(manager, step.runId, key, wanted);
    const missing = wanted?.filter((partition) => !rows.has(partition)) ?? [];
    if (missing.length > 0) throw missingInput(graph, step, input, missing);
    const stored = (row: MaterializationEntity): StoredValue => ({
      valueType: row.valueType,
      inline: row.outputInline,
      ref: row.outputRef,
      table: row.tableMetadata,
    });
    if (!readsMany(input.mapping)) {
      inputs[name] = { kind: 'stored', stored: stored(rows.get(wanted![0]!)!) };
      continue;
    }
    const definition = graph.partitionsOf(key)!;
    const dynamic =
      definition.kind === 'dynamic'
        ? await readDynamicPartitions(manager, [definition.name])
        : new Map<string, string[]>();
    const ordered = sortPartitionKeys(definition, [...rows.keys()], { dynamicKeys: (s) => dynamic.get(s) ?? [] });
    inputs[name] = {
      kind: 'partitions',
      partitions: ordered.map((partition) => [partition, stored(rows.get(partition)!)]),
    };
  }
  return inputs;
}

function missingInput(
  graph: AssetGraph,
  step: { assetKey: string; partitionKey: string },
  input: MappedInput,
  missing: readonly string[],
): NonRetryableError {
  const of = step.partitionKey === '' ? step.assetKey : `${step.assetKey} partition ${step.partitionKey}`;
  if (missing.length === 1 && missing[0] === '') {
    return new NonRetryableError(
      `input '${input.name}' of ${of} needs ${input.key}, which has never been materialized: materialize it first or select it too (e.g. '+${step.assetKey}')`,
    );
  }
  const upstream = graph.partitionsOf(input.key);
  const listed =
    missing.length <= 5 ? missing.join(', ') : `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more`;
  const what = `partition${missing.length === 1 ? '' : 's'} ${listed} of ${input.key}`;
  if (upstream?.kind === 'time') {
    const space = timeKeySpace(upstream);
    const ordinal = space.parse(missing[0]!);
    if (ordinal !== undefined && ordinal < space.first) {
      return new NonRetryableError(
        `input '${input.name}' of ${of} needs ${what}, before its first partition ${space.format(space.first)}: there is nothing to read`,
      );
    }
  }
  return new NonRetryableError(
    `input '${input.name}' of ${of} needs ${what}, never materialized: materialize ${missing.length === 1 ? 'it' : 'them'} first (weir materialize ${input.key} --partitions ${missing.slice(0, 5).join(',')}) or backfill ${input.key}`,
  );
}
