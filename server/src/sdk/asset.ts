import type { Readable } from 'node:stream';
import type { MultiAssetMembership } from './multi-asset-membership.js';
import type { AssetContext } from './context.js';
import { automationProblem, type AutomationCondition } from './automation.js';
import { checksProblem, type AssetCheck } from './check.js';
import { AssetDefinitionError } from './definition-error.js';
import { assertValidKey, normalizeTags, type AssetMetadata } from './asset-metadata.js';
import { callerLocation } from './caller-location.js';
import type { PayloadRef } from './payload-ref.js';
import type { RetryPolicySpec } from './retry.js';
import { parseByteSize, type ByteSize } from './byte-size.js';
import { parseDuration, type Duration } from './duration.js';
import { validateRetryPolicy } from './retry-validation.js';
import { freshnessProblem, type FreshnessPolicy } from './freshness.js';
import type { ObservationInput, SourceAsset } from './source-asset.js';
import { partitionsProblem, type PartitionsDefinition } from './partitions.js';
import { isConfigSchema, type ConfigOf, type ConfigSchema } from './run-config.js';
import { resourcesProblem, type ResourceInstances, type ResourceMap } from './resource.js';
import { columnLineageProblem, type ColumnLineageSpec } from './column-lineage.js';
import type { TableHandle, TableOutput } from './table.js';
import {
  isMappedDependency,
  mappingProblem,
  type MappedDependency,
  type PartitionMapping,
} from './partition-mapping.js';

/** What a JSON output looks like after it was stored and read back (Dates become strings). */
export type Jsonified<T> = T extends Date
  ? string
  : T extends (...args: never[]) => unknown
    ? never
    : T extends object
      ? { [K in keyof T]: Jsonified<T[K]> }
      : T;

/**
 * The value a downstream asset receives for an upstream output of type `T`: streams arrive as
 * fresh streams, Buffers as Buffers, payload references as references, and JSON values as
 * their parsed JSON.
 */
export type StoredOutput<T> = T extends TableOutput
  ? TableHandle
  : T extends Readable
    ? Readable
    : T extends AsyncIterable<Uint8Array>
      ? Readable
      : T extends Buffer
        ? Buffer
        : T extends PayloadRef
          ? PayloadRef
          : Jsonified<T>;

/**
 * A dependency: an asset object (typed input), a key string (untyped input), or either with a
 * partition mapping (`withMapping(orders, timeWindow({ offset: -1 }))`).
 */
export type Dependency = AnyAsset | SourceAsset | string | MappedDependency<AnyAsset | SourceAsset | string>;

/** Named dependencies of an asset: each name becomes a field of `inputs`. */
export type DependencyMap = Readonly<Record<string, Dependency>>;

/** What one partition of an upstream gives: its stored output, an observation, or `unknown` for a key string. */
type UpstreamValue<U> =
  U extends Asset<infer Out> ? StoredOutput<Awaited<Out>> : U extends SourceAsset ? ObservationInput : unknown;

/**
 * The input one dependency gives an asset (`Partitioned`: whether that asset is partitioned).
 * One value, or, when the input reads many partitions (a mapping that says so, or a partitioned
 * upstream read by an unpartitioned asset), a record of values by partition key.
 */
export type InputOf<Dep, Partitioned extends boolean = false> =
  Dep extends MappedDependency<infer U, infer M extends PartitionMapping>
    ? M['reads'] extends 'many'
      ? UpstreamValue<U> extends TableHandle
        ? TableHandle // the partitions read, as one table
        : Readonly<Record<string, UpstreamValue<U>>>
      : UpstreamValue<U>
    : Dep extends Asset<infer Out, infer UpstreamPartitioned>
      ? [UpstreamPartitioned] extends [true]
        ? [Partitioned] extends [true]
          ? StoredOutput<Awaited<Out>>
          : Awaited<Out> extends TableOutput
            ? TableHandle // every partition, read as one table (`handle.partitions` has each)
            : Readonly<Record<string, StoredOutput<Awaited<Out>>>>
        : StoredOutput<Awaited<Out>>
      : UpstreamValue<Dep>;

/** The `inputs` argument of `materialize`, typed from the upstream assets' outputs. */
export type InputsOf<D extends DependencyMap, Partitioned extends boolean = false> = {
  readonly [K in keyof D]: InputOf<D[K], Partitioned>;
};

/** `true` for a partitions definition, `false` for none. */
export type IsPartitioned<P> = [P] extends [PartitionsDefinition] ? true : false;

/** The argument of {@link asset}. */
export interface AssetSpec<
  D extends DependencyMap,
  Out,
  P extends PartitionsDefinition | undefined = undefined,
  C extends ConfigSchema | undefined = undefined,
  R extends ResourceMap = Record<never, never>,
> extends AssetMetadata {
  /** Upstream assets, by input name: `deps: { orders: rawOrders }`. */
  readonly deps?: D;
  /**
   * Splits the asset into partitions, each materialized on its own (`ctx.partition` says which):
   * `dailyPartitions({ start: '2025-01-01' })`, `staticPartitions(['eu', 'us'])`,
   * `dynamicPartitions('customers')`.
   */
  readonly partitions?: P;
  /** Change it when the logic changes, so history and staleness can tell outputs apart. */
  readonly codeVersion?: string;
  /**
   * A concurrency pool, e.g. `'warehouse'`: at most the pool's limit (`WEIR_POOLS`, e.g.
   * `warehouse=2`) of its steps run at once, across all workers.
   */
  readonly pool?: string;
  /** When Weir materializes the asset by itself, e.g. `onCron('0 6 * * *')`. */
  readonly automation?: AutomationCondition;
  /** How failed attempts are retried; merged over the project-wide default. */
  readonly retry?: RetryPolicySpec;
  /**
   * Longest an attempt may run, e.g. `'10m'` (default `WEIR_STEP_TIMEOUT`, none when unset).
   * At the limit `ctx.signal` aborts; after `WEIR_CANCEL_GRACE` the attempt's isolate is
   * terminated. The attempt fails with error kind `timeout` and the retry policy applies.
   */
  readonly timeout?: Duration;
  /**
   * Heap limit of the isolate the attempt runs in, e.g. `'512MiB'` (default `WEIR_STEP_MEMORY`,
   * Node's own limit when unset). Going over it fails the attempt with error kind
   * `out_of_memory`; the next attempt gets a fresh isolate. Buffers and streams count only
   * while V8 tracks them: stream large data rather than holding it.
   */
  readonly memory?: ByteSize;
  /**
   * How fresh the asset must stay: `maxLag('2h', { warn: '90m' })` or
   * `deadline({ cron: '0 9 * * *', maxLag: '30m' })`. Weir tracks it and alerts on changes.
   */
  readonly freshness?: FreshnessPolicy;
  /**
   * Data-quality checks run in order on each new output (made with `check(...)`). A failing
   * `'error'` check fails the step and skips its downstream steps; a `'warn'` one does not.
   * A check's value is the output as downstream assets receive it (`StoredOutput`).
   */
  readonly checks?: ReadonlyArray<AssetCheck<StoredOutput<Awaited<Out>>>>;
  /**
   * The run config the asset accepts, as a Standard Schema (Zod 4, Valibot, ArkType…): given at
   * launch (`weir materialize <sel> --config '{"<asset key>": {…}}'`, the API, the console's
   * form), validated before the run is created, stored with the run and handed to every attempt
   * as `ctx.config`, typed by the schema's output.
   *
   * @example
   * ```ts
   * config: z.object({ sampleSize: z.number().int().min(1).default(100) }),
   * materialize: (ctx) => sample(rows, ctx.config.sampleSize),
   * ```
   */
  readonly config?: C;
  /**
   * Resources (made with `resource(...)`) the asset uses, by the name `ctx.resources` gives
   * them: `resources: { warehouse }` → `ctx.resources.warehouse`, typed as its `create` returns.
   */
  readonly resources?: R;
  /**
   * For a table asset: the upstream columns each output column is computed from, recorded with
   * every materialization: `{ revenue: [column(orders, 'amount')] }`. Each upstream must be a
   * dependency (checked here); the columns must exist in the tables (checked when materialized).
   */
  readonly columnLineage?: ColumnLineageSpec;
  /**
   * Produces the asset's value. Return JSON (stored inline when small), a `Buffer` or a
   * stream (always stored in the object store), or a {@link PayloadRef} from `ctx.store.write`.
   */
  readonly materialize: (
    ctx: AssetContext<ConfigOf<C>, ResourceInstances<R>>,
    inputs: InputsOf<D, IsPartitioned<P>>,
  ) => Out | Promise<Out>;
}

/**
 * A materializable asset. `Out` is what `materialize` returns; `Partitioned` whether it has
 * partitions (it decides the type of the inputs that read it).
 */
export interface Asset<Out = unknown, Partitioned extends boolean = boolean> {
  readonly kind: 'asset';
  readonly key: string;
  readonly group: string;
  readonly owners: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly description: string | undefined;
  readonly codeVersion: string | undefined;
  readonly pool: string | undefined;
  readonly automation: AutomationCondition | undefined;
  readonly retry: RetryPolicySpec | undefined;
  /** Longest an attempt may run, in milliseconds (`undefined`: the project default). */
  readonly timeoutMs: number | undefined;
  /** Heap limit of the attempt's isolate, in bytes (`undefined`: the project default). */
  readonly memoryBytes: number | undefined;
  readonly freshness: FreshnessPolicy | undefined;
  /** How the asset is partitioned, or `undefined`. */
  readonly partitions: PartitionsDefinition | undefined;
  /** Data-quality checks, in the order they run. */
  readonly checks: readonly AssetCheck<never>[];
  /** The run config schema (`ctx.config`), or `undefined` when the asset takes none. */
  readonly config: ConfigSchema | undefined;
  /** Resources by the names `ctx.resources` gives them (empty when it uses none). */
  readonly resources: ResourceMap;
  /** Dependencies by input name, as given. */
  readonly deps: Readonly<Record<string, Dependency>>;
  /** Declared column lineage of a table asset (see {@link AssetSpec.columnLineage}). */
  readonly columnLineage?: ColumnLineageSpec;
  /** `file:line` of the `asset(...)` call, used in error messages. */
  readonly definedAt: string;
  readonly materialize: (ctx: AssetContext<unknown, Readonly<Record<string, unknown>>>, inputs: never) => unknown;
  /** Set on the outputs of a `multiAsset`: the function they share and their siblings. */
  readonly multiAsset?: MultiAssetMembership;
  /** Type-only marker carrying the output type; never set at run time. */
  readonly __output?: Out;
  /** Type-only marker: whether the asset is partitioned; never set at run time. */
  readonly __partitioned?: Partitioned;
}

/** Any materializable asset, whatever its output type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: Asset<Out> must be assignable whatever Out is
export type AnyAsset = Asset<any>;

/** Any asset in a project: materializable or source. */
export type AnyAssetDefinition = AnyAsset | SourceAsset;

/**
 * Declares a materializable asset.
 *
 * @example
 * ```ts
 * export const rawOrders = asset({
 *   key: 'bronze/orders',
 *   group: 'bronze',
 *   materialize: async (ctx) => generateOrders(),
 * });
 * export const orders = asset({
 *   key: 'silver/orders',
 *   deps: { raw: rawOrders },
 *   materialize: async (ctx, { raw }) => raw.filter((o) => o.status !== 'test'),
 * });
 * ```
 * @throws AssetDefinitionError naming the asset and its file when the spec is invalid.
 */
export function asset<
  const D extends DependencyMap = Record<never, never>,
  Out = unknown,
  P extends PartitionsDefinition | undefined = undefined,
  C extends ConfigSchema | undefined = undefined,
  const R extends ResourceMap = Record<never, never>,
>(spec: AssetSpec<D, Out, P, C, R>): Asset<Awaited<Out>, IsPartitioned<P>> {
  const definedAt = callerLocation();
  assertValidKey(spec.key, definedAt);
  const culprit = [{ key: spec.key, definedAt }];
  if (typeof spec.materialize !== 'function') {
    throw new AssetDefinitionError(`asset '${spec.key}' has no materialize function`, culprit);
  }
  const deps = spec.deps ?? {};
  for (const [name, dep] of Object.entries(deps)) {
    const upstream: unknown = isMappedDependency(dep) ? dep.upstream : dep;
    const ok = typeof upstream === 'string' || (typeof upstream === 'object' && upstream !== null && 'key' in upstream);
    if (!ok) {
      throw new AssetDefinitionError(
        `asset '${spec.key}' has dependency '${name}' that is neither an asset nor a key (got ${upstream === undefined ? 'undefined — is it defined later in the file or in an import cycle?' : typeof upstream})`,
        culprit,
      );
    }
    const mapping = isMappedDependency(dep) ? mappingProblem(dep.mapping) : undefined;
    if (mapping)
      throw new AssetDefinitionError(`asset '${spec.key}' input '${name}' has an invalid mapping: ${mapping}`, culprit);
  }
  const partitions = spec.partitions === undefined ? undefined : partitionsProblem(spec.partitions);
  if (partitions) throw new AssetDefinitionError(`asset '${spec.key}' has invalid partitions: ${partitions}`, culprit);
  if (spec.pool !== undefined && (typeof spec.pool !== 'string' || !/^[a-z0-9][a-z0-9_-]*$/i.test(spec.pool))) {
    throw new AssetDefinitionError(
      `asset '${spec.key}' has an invalid pool ${JSON.stringify(spec.pool)}: use a name like 'warehouse'`,
      culprit,
    );
  }
  const automation = spec.automation === undefined ? undefined : automationProblem(spec.automation);
  if (automation)
    throw new AssetDefinitionError(`asset '${spec.key}' has an invalid automation: ${automation}`, culprit);
  if (spec.retry !== undefined) {
    const problem = validateRetryPolicy(spec.retry);
    if (problem) throw new AssetDefinitionError(`asset '${spec.key}' has an invalid retry policy: ${problem}`, culprit);
  }
  const timeoutMs =
    spec.timeout === undefined ? undefined : limitOf(spec.key, definedAt, 'timeout', spec.timeout, parseDuration);
  const memoryBytes =
    spec.memory === undefined ? undefined : limitOf(spec.key, definedAt, 'memory', spec.memory, parseByteSize);
  const freshness = spec.freshness === undefined ? undefined : freshnessProblem(spec.freshness);
  if (freshness)
    throw new AssetDefinitionError(`asset '${spec.key}' has an invalid freshness policy: ${freshness}`, culprit);
  const checks = spec.checks ?? [];
  const checkProblem = checksProblem(checks);
  if (checkProblem) throw new AssetDefinitionError(`asset '${spec.key}' has invalid checks: ${checkProblem}`, culprit);
  if (spec.config !== undefined && !isConfigSchema(spec.config)) {
    throw new AssetDefinitionError(
      `asset '${spec.key}' has a config that is not a Standard Schema: use e.g. z.object({...}) from zod 4`,
      culprit,
    );
  }
  const resources = resourcesProblem(spec.resources);
  if (resources) throw new AssetDefinitionError(`asset '${spec.key}' ${resources}`, culprit);
  const lineage =
    spec.columnLineage === undefined
      ? undefined
      : columnLineageProblem(spec.columnLineage, Object.values(deps as DependencyMap).map(dependencyKey));
  if (lineage) throw new AssetDefinitionError(`asset '${spec.key}' has an invalid ${lineage}`, culprit);
  return Object.freeze({
    kind: 'asset' as const,
    key: spec.key,
    group: spec.group ?? 'default',
    owners: Object.freeze([...(spec.owners ?? [])]),
    tags: Object.freeze(normalizeTags(spec.tags)),
    description: spec.description,
    codeVersion: spec.codeVersion,
    pool: spec.pool,
    automation: spec.automation,
    retry: spec.retry,
    timeoutMs,
    memoryBytes,
    freshness: spec.freshness,
    partitions: spec.partitions,
    checks: Object.freeze([...(checks as readonly AssetCheck<never>[])]),
    config: spec.config,
    resources: Object.freeze({ ...(spec.resources ?? {}) }),
    deps: Object.freeze({ ...deps }),
    definedAt,
    ...(spec.columnLineage === undefined ? {} : { columnLineage: Object.freeze({ ...spec.columnLineage }) }),
    materialize: spec.materialize as Asset['materialize'],
  });
}

/** The key of a dependency, whether given as an asset object or a key string, mapped or not. */
export function dependencyKey(dep: Dependency): string {
  if (isMappedDependency(dep)) return dependencyKey(dep.upstream);
  return typeof dep === 'string' ? dep : dep.key;
}

/** Parses a `timeout` or `memory` option, or fails naming the asset and where it is defined. */
function limitOf<T>(key: string, definedAt: string, option: string, value: T, parse: (value: T) => number): number {
  const culprit = [{ key, definedAt }];
  let parsed: number;
  try {
    parsed = parse(value);
  } catch (error) {
    throw new AssetDefinitionError(`asset '${key}' has an invalid ${option}: ${(error as Error).message}`, culprit);
  }
  if (parsed <= 0)
    throw new AssetDefinitionError(`asset '${key}' has an invalid ${option}: it must be above 0`, culprit);
  return parsed;
}
