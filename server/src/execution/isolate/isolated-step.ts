import { encodeOutput, writeAssetFile, type EncodedOutput } from '../../io/payload-codec.js';
import { joinObjectKey } from '../../io/object-key.js';
import type { ObjectStore } from '../../io/object-store.port.js';
import { dependencyKey, type AnyAsset } from '../../sdk/asset.js';
import type { AssetContext, AssetStore, MetadataValue } from '../../sdk/context.js';
import type { Sensor } from '../../sdk/sensor.js';
import { parseAssetConfig } from '../../sdk/run-config.js';
import { resolveResources, type ResourceMap, type ResourceRegistry } from '../../sdk/resource.js';
import { NonRetryableError } from '../../sdk/retry.js';
import { isNonRetryable, resolveRetryPolicy } from '../../runs/retry-policy.js';
import type { CheckRecord } from '../../runs/check-results.js';
import { runChecks } from '../check-runner.js';
import { serializeCheckpointState } from '../checkpoint-state.js';
import { stepExec, type ExecReports } from '../external/step-exec.js';
import { decodeStepInputs, encodeStepOutput } from '../../tables/step-tables.js';
import { TableScratch } from '../../tables/table-scratch.js';
import type { IsolateChannel } from './isolate-channel.js';
import {
  serializeError,
  type SensorTask,
  type SiblingOutputResult,
  type SensorTaskResult,
  type StepTaskResult,
} from './step-task.js';
import type { StepRequest } from './step-sandbox.port.js';

/**
 * Runs one attempt inside the isolate: decodes the inputs (streams stay streams), calls
 * `materialize` with a context that talks to the engine over the channel, stores the output
 * and runs the checks on it. Nothing is committed here: the engine commits the result.
 */
export async function runStepInIsolate(
  task: StepRequest,
  definition: AnyAsset,
  store: ObjectStore,
  channel: IsolateChannel,
  resources: ResourceRegistry,
  lookup: (assetKey: string) => AnyAsset | undefined,
): Promise<StepTaskResult> {
  // Table files DuckDB writes or stages locally; the outputs are in the store once this returns.
  const scratch = new TableScratch();
  try {
    const metadata: Record<string, MetadataValue> = {};
    const config = await isolateConfig(task, definition);
    const reports: ExecReports = { metadata, checks: [] };
    const ctx = stepContext(
      task,
      store,
      channel,
      reports,
      config,
      await resolveResources(definition.resources, resources),
    );
    const depKeys = Object.fromEntries(
      Object.entries(definition.deps).map(([name, dep]) => [name, dependencyKey(dep)]),
    );
    const inputs = await decodeStepInputs(task.inputs, store, scratch, depKeys);
    const siblings = siblingDefinitions(definition, task.siblings ?? [], lookup);
    if (siblings.length > 0) {
      const results = await materializeOutputs(task, definition, siblings, ctx, inputs, store, (map) =>
        resolveResources(map, resources),
      );
      return { ok: true, ...results, checks: [...reports.checks, ...results.checks], metadata };
    }
    const value = await definition.materialize(ctx, inputs as never);
    const output = await encodeStepOutput(value, {
      store,
      keyPrefix: task.keyPrefix,
      inlineLimit: task.inlineLimit,
      assetKey: task.assetKey,
      scratch,
      previousColumns: task.previousTableColumns,
      columnLineage: definition.columnLineage,
      inputs,
    });
    // History lists a materialization's `rows`: a table's count is known once DuckDB wrote it.
    if (output.table && metadata.rows === undefined) metadata.rows = output.table.rowCount;
    // On the output as stored, before anything commits, so results commit with it.
    // Checks reported by external processes (ctx.exec) first, in the order they were reported.
    const declaredNames = new Set(definition.checks.map((check) => check.name));
    const clash = reports.checks.find((check) => declaredNames.has(check.name));
    if (clash) {
      // One result per check name and materialization: a silent override would hide a verdict.
      throw new NonRetryableError(
        `an external process reported check '${clash.name}', which asset '${task.assetKey}' also declares: report it under another name`,
      );
    }
    const declaredResults = await runChecks(
      definition.checks,
      ctx,
      output,
      store,
      (map) => resolveResources(map, resources),
      scratch,
    );
    const checks = [...reports.checks, ...declaredResults];
    return { ok: true, output, metadata, checks };
  } catch (error) {
    return { ok: false, error: serializeError(error, isNonRetryable(error, resolveRetryPolicy(definition.retry, {}))) };
  } finally {
    await scratch.dispose();
  }
}

/** The definitions of the sibling outputs the engine asked for, each an output of the same multi-asset. */
function siblingDefinitions(
  definition: AnyAsset,
  keys: readonly string[],
  lookup: (assetKey: string) => AnyAsset | undefined,
): AnyAsset[] {
  return keys.map((key) => {
    const sibling = lookup(key);
    const membership = definition.multiAsset;
    if (!membership || !sibling?.multiAsset || membership.keys[sibling.multiAsset.output] !== key) {
      throw new NonRetryableError(`${key} is not an output of the multi-asset of ${definition.key}`);
    }
    return sibling;
  });
}

/**
 * Runs a multi-asset's function once for this step's output and its siblings, then stores
 * and checks each output on its own: siblings under `<keyPrefix>/outputs/<output name>`.
 */
async function materializeOutputs(
  task: StepRequest,
  definition: AnyAsset,
  siblings: readonly AnyAsset[],
  ctx: AssetContext<unknown>,
  inputs: Record<string, unknown>,
  store: ObjectStore,
  resourcesFor: (map: ResourceMap) => Promise<Readonly<Record<string, unknown>>>,
): Promise<{ output: EncodedOutput; checks: CheckRecord[]; siblings: SiblingOutputResult[] }> {
  const membership = definition.multiAsset!;
  const produced = new Set([membership.output, ...siblings.map((sibling) => sibling.multiAsset!.output)]);
  // In declaration order, whichever output's step leads.
  const wanted = Object.keys(membership.keys).filter((name) => produced.has(name));
  const values = await membership.materializeOutputs(ctx, inputs as never, wanted);
  const { inlineLimit } = task;
  const output = await encodeOutput(values[membership.output], { store, keyPrefix: task.keyPrefix, inlineLimit });
  const results: SiblingOutputResult[] = [];
  for (const sibling of siblings) {
    const name = sibling.multiAsset!.output;
    const keyPrefix = joinObjectKey(task.keyPrefix, 'outputs', name);
    const stored = await encodeOutput(values[name], { store, keyPrefix, inlineLimit });
    results.push({
      assetKey: sibling.key,
      output: stored,
      checks: await runChecks(sibling.checks, ctx, stored, store, resourcesFor),
    });
  }
  return { output, checks: await runChecks(definition.checks, ctx, output, store, resourcesFor), siblings: results };
}

/** Evaluates a sensor inside the isolate. */
export async function runSensorInIsolate(
  task: Pick<SensorTask, 'cursor'>,
  sensor: Sensor,
  channel: IsolateChannel,
  resources: ResourceRegistry,
): Promise<SensorTaskResult> {
  try {
    const result = await sensor.evaluate({
      cursor: task.cursor,
      log: channel.log,
      signal: channel.signal,
      resources: await resolveResources(sensor.resources, resources),
    });
    // Cloned here so that a result holding something that cannot cross fails with its cause.
    return { ok: true, result: JSON.parse(JSON.stringify(result ?? {})) };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

function stepContext(
  task: StepRequest,
  store: ObjectStore,
  channel: IsolateChannel,
  reports: ExecReports,
  config: unknown,
  resources: Readonly<Record<string, unknown>>,
): AssetContext<unknown, Readonly<Record<string, unknown>>> {
  const { metadata } = reports;
  const assetStore: AssetStore = {
    write: (name, body, options) => writeAssetFile(store, task.keyPrefix, name, body, options?.contentType),
    open: (ref) => store.open(ref),
  };
  const ctx: AssetContext<unknown, Readonly<Record<string, unknown>>> = {
    assetKey: task.assetKey,
    runId: task.runId,
    stepId: task.stepId,
    attemptId: task.attemptId,
    attemptNumber: task.attemptNumber,
    partition: task.partitionKey === '' ? undefined : task.partitionKey,
    log: channel.log,
    signal: channel.signal,
    store: assetStore,
    config,
    resources,
    resume: task.resume,
    checkpoint(state: unknown): Promise<void> {
      let json: string;
      try {
        json = serializeCheckpointState(state);
      } catch (error) {
        return Promise.reject(error as Error);
      }
      return channel.checkpoint(json);
    },
    metadata(values) {
      for (const [key, value] of Object.entries(values)) {
        if (!['number', 'string', 'boolean'].includes(typeof value)) {
          throw new TypeError(`ctx.metadata: '${key}' must be a number, string or boolean (got ${typeof value})`);
        }
        metadata[key] = value;
      }
    },
    exec: stepExec(() => ctx, reports),
  };
  return ctx;
}

/**
 * The asset's config as its schema parses it. The engine validated the stored config when it
 * planned the run; it is parsed again here because only the isolate may hand user code the
 * schema's output (transforms, defaults), and because the definitions may have been reloaded
 * since. Another attempt would parse the same value the same way, so a failure is final.
 */
async function isolateConfig(task: StepRequest, definition: AnyAsset): Promise<unknown> {
  if (!definition.config) return undefined;
  try {
    return Object.freeze(await parseAssetConfig(task.assetKey, definition.config, task.config));
  } catch (error) {
    throw new NonRetryableError((error as Error).message);
  }
}
