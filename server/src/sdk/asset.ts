import type { Readable } from 'node:stream';
import type { AssetContext } from './context.js';
import { automationProblem, type AutomationCondition } from './automation.js';
import { checksProblem, type AssetCheck } from './check.js';
import { AssetDefinitionError } from './definition-error.js';
import { assertValidKey, normalizeTags, type AssetMetadata } from './asset-metadata.js';
import { callerLocation } from './caller-location.js';
import type { PayloadRef } from './payload-ref.js';
import type { RetryPolicySpec } from './retry.js';
import { validateRetryPolicy } from './retry-validation.js';
import { freshnessProblem, type FreshnessPolicy } from './freshness.js';
import type { ObservationInput, SourceAsset } from './source-asset.js';

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
export type StoredOutput<T> = T extends Readable
  ? Readable
  : T extends AsyncIterable<Uint8Array>
    ? Readable
    : T extends Buffer
      ? Buffer
      : T extends PayloadRef
        ? PayloadRef
        : Jsonified<T>;

/** A dependency: an asset object (typed input) or a key string (untyped input). */
export type Dependency = AnyAsset | SourceAsset | string;

/** Named dependencies of an asset: each name becomes a field of `inputs`. */
export type DependencyMap = Readonly<Record<string, Dependency>>;

/** The `inputs` argument of `materialize`, typed from the upstream assets' outputs. */
export type InputsOf<D extends DependencyMap> = {
  readonly [K in keyof D]: D[K] extends Asset<infer Out>
    ? StoredOutput<Awaited<Out>>
    : D[K] extends SourceAsset
      ? ObservationInput
      : unknown;
};

/** The argument of {@link asset}. */
export interface AssetSpec<D extends DependencyMap, Out> extends AssetMetadata {
  /** Upstream assets, by input name: `deps: { orders: rawOrders }`. */
  readonly deps?: D;
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
   * Produces the asset's value. Return JSON (stored inline when small), a `Buffer` or a
   * stream (always stored in the object store), or a {@link PayloadRef} from `ctx.store.write`.
   */
  readonly materialize: (ctx: AssetContext, inputs: InputsOf<D>) => Out | Promise<Out>;
}

/** A materializable asset. `Out` is what `materialize` returns. */
export interface Asset<Out = unknown> {
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
  readonly freshness: FreshnessPolicy | undefined;
  /** Data-quality checks, in the order they run. */
  readonly checks: readonly AssetCheck<never>[];
  /** Dependencies by input name, as given. */
  readonly deps: Readonly<Record<string, Dependency>>;
  /** `file:line` of the `asset(...)` call, used in error messages. */
  readonly definedAt: string;
  readonly materialize: (ctx: AssetContext, inputs: never) => unknown;
  /** Type-only marker carrying the output type; never set at run time. */
  readonly __output?: Out;
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
export function asset<const D extends DependencyMap = Record<never, never>, Out = unknown>(
  spec: AssetSpec<D, Out>,
): Asset<Awaited<Out>> {
  const definedAt = callerLocation();
  assertValidKey(spec.key, definedAt);
  const culprit = [{ key: spec.key, definedAt }];
  if (typeof spec.materialize !== 'function') {
    throw new AssetDefinitionError(`asset '${spec.key}' has no materialize function`, culprit);
  }
  const deps = spec.deps ?? {};
  for (const [name, dep] of Object.entries(deps)) {
    const ok = typeof dep === 'string' || (typeof dep === 'object' && dep !== null && 'key' in dep);
    if (!ok) {
      throw new AssetDefinitionError(
        `asset '${spec.key}' has dependency '${name}' that is neither an asset nor a key (got ${dep === undefined ? 'undefined — is it defined later in the file or in an import cycle?' : typeof dep})`,
        culprit,
      );
    }
  }
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
  const freshness = spec.freshness === undefined ? undefined : freshnessProblem(spec.freshness);
  if (freshness)
    throw new AssetDefinitionError(`asset '${spec.key}' has an invalid freshness policy: ${freshness}`, culprit);
  const checks = spec.checks ?? [];
  const checkProblem = checksProblem(checks);
  if (checkProblem) throw new AssetDefinitionError(`asset '${spec.key}' has invalid checks: ${checkProblem}`, culprit);
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
    freshness: spec.freshness,
    checks: Object.freeze([...(checks as readonly AssetCheck<never>[])]),
    deps: Object.freeze({ ...deps }),
    definedAt,
    materialize: spec.materialize as Asset['materialize'],
  });
}

/** The key of a dependency, whether given as an asset object or a key string. */
export function dependencyKey(dep: Dependency): string {
  return typeof dep === 'string' ? dep : dep.key;
}
