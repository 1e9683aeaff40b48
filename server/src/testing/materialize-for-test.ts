import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilesystemObjectStore } from '../io/filesystem-object-store.js';
import type { ObjectStore } from '../io/object-store.port.js';
import type { EncodedOutput } from '../io/payload-codec.js';
import { dependencyKey, type AnyAsset } from '../sdk/asset.js';
import type { MetadataValue } from '../sdk/context.js';
import { isMappedDependency } from '../sdk/partition-mapping.js';
import { ResourceRegistry, resolveResources } from '../sdk/resource.js';
import { parseAssetConfig } from '../sdk/run-config.js';
import { runChecks } from '../execution/check-runner.js';
import { isTableOutput, type TableOutput } from '../sdk/table.js';
import { decodeStored, encodeStepOutput } from '../tables/step-tables.js';
import { TableScratch } from '../tables/table-scratch.js';
import { testContext, type TestRecorder } from './test-context.js';
import { MaterializeForTestError, messageOf } from './test-errors.js';
import { testOrder } from './test-order.js';
import { resultValue, type TestMaterialization, type TestRun } from './test-run.js';

/** Options of {@link materializeForTest}. */
export interface MaterializeForTestOptions {
  /**
   * Resource instances by the name the assets give them (`ctx.resources.<name>`): fakes or test
   * clients. A resource an asset names that is not given here is created from its definition
   * (its config read from the environment, as in a run) and disposed before this returns.
   */
  readonly resources?: Readonly<Record<string, unknown>>;
  /** Run config by asset key, validated by each asset's `config` schema (`ctx.config`). */
  readonly config?: Readonly<Record<string, unknown>>;
  /**
   * Values of upstreams that are not among the assets given, by upstream key, exactly as the
   * downstream input receives them (an unpartitioned asset reading a partitioned upstream gets a
   * record by partition key). A source asset left out reads `undefined`, as when never observed.
   * An upstream table is given as a table output (`table.fromRows(schema, rows)` or
   * `table.fromQuery(sql)`): it is written as Parquet and the input receives its `TableHandle`.
   */
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** The partition key every partitioned asset given materializes (`ctx.partition`). */
  readonly partition?: string;
  /** Aborts `ctx.signal` of the running asset. */
  readonly signal?: AbortSignal;
}

// The engine's default (`WEIR_INLINE_LIMIT`): larger JSON goes through the store, as in a run.
const INLINE_LIMIT = 64 * 1024;

/**
 * Runs assets in memory, for your own test suite (vitest, jest, node:test): no server, no
 * database, nothing left on disk. The assets run in dependency order among themselves, each
 * output stored and read back as a downstream asset (and a check) would receive it, and each
 * asset's checks run on it.
 *
 * @example
 * ```ts
 * import { materializeForTest } from 'weir/testing';
 * const run = await materializeForTest([orders, revenue], {
 *   partition: '2026-03-01',
 *   inputs: { 'raw/orders': [{ id: 1, amount: 10 }] },
 *   config: { 'reports/revenue': { currency: 'EUR' } },
 * });
 * assert.equal(run.of(revenue).value.total, 10);
 * ```
 * @returns each asset's output value (streams read into a Buffer), metadata, check results,
 *   log lines and checkpoints, by key in `assets` and typed by `of(asset)`.
 * @throws MaterializeForTestError naming the asset: an invalid run config (naming the field), a
 *   missing input, a partitioned asset without `partition`, a failed `error` check, or the
 *   asset's own error (its `cause`).
 */
export async function materializeForTest(
  assets: readonly AnyAsset[],
  options: MaterializeForTestOptions = {},
): Promise<TestRun> {
  const order = testOrder(assets);
  const configs = await parseConfigs(order, options.config ?? {});
  const root = await mkdtemp(join(tmpdir(), 'weir-test-'));
  const store = new FilesystemObjectStore(root);
  const runId = `test-${randomUUID().slice(0, 8)}`;
  const signal = options.signal ?? new AbortController().signal;
  const outputs = new Map<string, EncodedOutput>();
  const results: Record<string, TestMaterialization> = {};
  const registry = new ResourceRegistry();
  // Table files DuckDB writes or stages; each table output itself is in the test store.
  const scratch = new TableScratch();
  const overrides = options.resources ?? {};
  const resourcesFor = (asset: AnyAsset, map: AnyAsset['resources']) =>
    resolveResources(map, registry, overrides).catch((error: unknown) => {
      throw new MaterializeForTestError(`asset '${asset.key}': ${messageOf(error)}`, asset.key, { cause: error });
    });
  try {
    for (const asset of order) {
      const partition = partitionOf(asset, options.partition);
      const inputs = await inputsOf(asset, outputs, options, { store, scratch, runId });
      const keyPrefix = `runs/${runId}/${asset.key}/1`;
      const recorder: TestRecorder = { logs: [], checkpoints: [], reports: { metadata: {}, checks: [] } };
      const ctx = testContext(
        {
          assetKey: asset.key,
          runId,
          partition,
          keyPrefix,
          store,
          signal,
          config: configs.get(asset.key),
          resources: await resourcesFor(asset, asset.resources),
        },
        recorder,
      );
      let output: EncodedOutput;
      try {
        const value = await asset.materialize(ctx, inputs as never);
        output = await encodeStepOutput(value, {
          store,
          keyPrefix,
          inlineLimit: INLINE_LIMIT,
          assetKey: asset.key,
          scratch,
          previousColumns: undefined,
          columnLineage: asset.columnLineage,
          inputs,
        });
        // As in a real run: a table's row count joins its metadata as `rows`.
        const { metadata } = recorder.reports;
        if (output.table && metadata.rows === undefined) metadata.rows = output.table.rowCount;
      } catch (error) {
        throw new MaterializeForTestError(`asset '${asset.key}' failed: ${messageOf(error)}`, asset.key, {
          cause: error,
        });
      }
      const checks = [
        ...recorder.reports.checks,
        ...(await runChecks(asset.checks, ctx, output, store, (map) => resourcesFor(asset, map), scratch)),
      ];
      outputs.set(asset.key, output);
      const result: TestMaterialization = {
        assetKey: asset.key,
        partition,
        ...(await resultValue(output, store)),
        metadata: { ...recorder.reports.metadata } as Record<string, MetadataValue>,
        checks,
        logs: recorder.logs,
        checkpoints: recorder.checkpoints,
      };
      results[asset.key] = result;
      const failed = checks.filter((check) => !check.passed && check.severity === 'error');
      if (failed.length > 0) {
        const why = failed.map((check) => `check '${check.name}' failed${check.message ? `: ${check.message}` : ''}`);
        throw new MaterializeForTestError(`asset '${asset.key}': ${why.join('; ')}`, asset.key, { result });
      }
    }
  } finally {
    await registry.disposeAll();
    await scratch.dispose();
    await rm(root, { recursive: true, force: true });
  }
  return {
    assets: results,
    of(asset) {
      const result = results[asset.key];
      if (!result) throw new Error(`asset '${asset.key}' was not among the assets given to materializeForTest`);
      return result as never;
    },
  };
}

/** Each asset's config as its schema parses it; every key of `config` must be an asset given. */
async function parseConfigs(
  order: readonly AnyAsset[],
  config: Readonly<Record<string, unknown>>,
): Promise<Map<string, unknown>> {
  const byKey = new Map(order.map((asset) => [asset.key, asset]));
  for (const key of Object.keys(config)) {
    const asset = byKey.get(key);
    if (!asset) {
      throw new MaterializeForTestError(
        `config names asset '${key}', which is not among the assets given to materializeForTest`,
        key,
      );
    }
    if (!asset.config) {
      throw new MaterializeForTestError(`config names asset '${key}', which declares no config schema`, key);
    }
  }
  const parsed = new Map<string, unknown>();
  for (const asset of order) {
    if (!asset.config) continue;
    try {
      parsed.set(asset.key, Object.freeze(await parseAssetConfig(asset.key, asset.config, config[asset.key])));
    } catch (error) {
      throw new MaterializeForTestError(messageOf(error), asset.key, { cause: error });
    }
  }
  return parsed;
}

function partitionOf(asset: AnyAsset, partition: string | undefined): string | undefined {
  if (!asset.partitions) return undefined;
  if (partition === undefined) {
    throw new MaterializeForTestError(
      `asset '${asset.key}' is partitioned: pass the partition to materialize, e.g. { partition: '2026-01-01' }`,
      asset.key,
    );
  }
  return partition;
}

/**
 * The asset's inputs: an upstream given reads back its stored output (a fresh copy for each
 * reader; a record by partition key when the input reads many partitions), others come from
 * `options.inputs`.
 */
async function inputsOf(
  asset: AnyAsset,
  outputs: ReadonlyMap<string, EncodedOutput>,
  options: MaterializeForTestOptions,
  { store, scratch, runId }: { store: ObjectStore; scratch: TableScratch; runId: string },
): Promise<Record<string, unknown>> {
  const inputs: Record<string, unknown> = {};
  for (const [name, dep] of Object.entries(asset.deps)) {
    const key = dependencyKey(dep);
    const output = outputs.get(key);
    if (output) {
      const value = await decodeStored(key, { ...output, table: output.table ?? null }, store, scratch);
      const upstream = (isMappedDependency(dep) ? dep.upstream : dep) as { partitions?: unknown } | string;
      const upstreamPartitioned = typeof upstream === 'object' && upstream.partitions !== undefined;
      const many = isMappedDependency(dep)
        ? dep.mapping.reads === 'many'
        : upstreamPartitioned && asset.partitions === undefined;
      // A table read across partitions is one handle (the union), as in a real run.
      const record = many && output.valueType !== 'table';
      inputs[name] = record ? Object.freeze({ [options.partition ?? '']: value }) : value;
    } else if (options.inputs && Object.hasOwn(options.inputs, key)) {
      const given = options.inputs[key];
      inputs[name] = isTableOutput(given) ? await givenTable(key, given, store, scratch, runId) : given;
    } else if (typeof dep === 'object' && !isMappedDependency(dep) && dep.kind === 'source') {
      inputs[name] = undefined;
    } else {
      throw new MaterializeForTestError(
        `asset '${asset.key}' reads input '${name}' from '${key}', which is neither among the assets given nor in options.inputs: add it to one of them`,
        asset.key,
      );
    }
  }
  return inputs;
}

/** A table given in `options.inputs`, written as Parquet like an upstream's output, as its handle. */
async function givenTable(
  key: string,
  given: TableOutput,
  store: ObjectStore,
  scratch: TableScratch,
  runId: string,
): Promise<unknown> {
  try {
    const output = await encodeStepOutput(given, {
      store,
      keyPrefix: `runs/${runId}/inputs/${key}`,
      inlineLimit: INLINE_LIMIT,
      assetKey: key,
      scratch,
      previousColumns: undefined,
      columnLineage: undefined,
      inputs: {},
    });
    return await decodeStored(key, { ...output, table: output.table ?? null }, store, scratch);
  } catch (error) {
    throw new MaterializeForTestError(`input '${key}' given as a table: ${messageOf(error)}`, key, { cause: error });
  }
}
