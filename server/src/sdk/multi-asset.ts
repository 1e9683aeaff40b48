import type { AssetContext } from './context.js';
import { asset, type Asset, type AssetSpec, type DependencyMap, type InputsOf } from './asset.js';
import { AssetDefinitionError } from './definition-error.js';
import type { MultiAssetMembership } from './multi-asset-membership.js';
import type { ResourceInstances, ResourceMap } from './resource.js';

/**
 * One output of a {@link multiAsset}: its own asset key, with its own metadata, checks and
 * freshness. It has no `materialize`: the multi-asset's function produces it.
 */
export type MultiAssetOutputSpec = Omit<
  AssetSpec<Record<never, never>, unknown>,
  'materialize' | 'deps' | 'partitions' | 'resources' | 'config'
>;

/** The argument of {@link multiAsset}: `O` the outputs by name, `R` what `materialize` returns. */
export interface MultiAssetSpec<
  D extends DependencyMap,
  O extends Record<string, MultiAssetOutputSpec>,
  R,
  Res extends ResourceMap = Record<never, never>,
> {
  /** A name for the multi-asset, used in error messages (its outputs have their own keys). */
  readonly name: string;
  /** Upstream assets, by input name, shared by every output. */
  readonly deps?: D;
  /** The outputs by name: `outputs: { orders: { key: 'silver/orders' }, customers: { ... } }`. */
  readonly outputs: O;
  /** Resources the function uses, as `ctx.resources` (shared by every output, like `deps`). */
  readonly resources?: Res;
  /**
   * Produces the wanted outputs: `wanted` lists the output names to return (a subset when only
   * some were selected). Return an object with exactly one value per wanted output.
   */
  readonly materialize: (
    ctx: AssetContext<undefined, ResourceInstances<Res>>,
    inputs: InputsOf<D>,
    wanted: ReadonlyArray<keyof O & string>,
  ) => R | Promise<R>;
}

/** The type of output `K` across every shape `materialize` may return (a union when it branches). */
export type MultiAssetOutputValue<R, K extends PropertyKey> = R extends unknown
  ? K extends keyof R
    ? Exclude<R[K], undefined>
    : never
  : never;

/** A declared multi-asset: each output is an ordinary asset that downstream assets depend on. */
export interface MultiAsset<O extends Record<string, MultiAssetOutputSpec>, R> {
  readonly kind: 'multi-asset';
  readonly name: string;
  /** The outputs as assets: `deps: { orders: shop.outputs.orders }` gives a typed input. */
  readonly outputs: { readonly [K in keyof O]: Asset<MultiAssetOutputValue<R, K>, false> };
}

/**
 * Checks what the function returned against what was wanted, so a forgotten or extra output
 * fails the step naming the multi-asset and the output instead of storing something wrong.
 * Returns the wanted values by output name.
 */
export function pickOutputs(name: string, wanted: readonly string[], result: unknown): Record<string, unknown> {
  if (typeof result !== 'object' || result === null) {
    throw new Error(
      `multi-asset '${name}' must return an object with one value per wanted output (got ${typeof result})`,
    );
  }
  const returned = Object.keys(result);
  const unwanted = returned.filter((k) => !wanted.includes(k));
  if (unwanted.length > 0) {
    throw new Error(
      `multi-asset '${name}' returned unwanted output(s) ${unwanted.join(', ')} (wanted: ${wanted.join(', ')})`,
    );
  }
  const values = result as Record<string, unknown>;
  const missing = wanted.filter((k) => !returned.includes(k) || values[k] === undefined);
  if (missing.length > 0)
    throw new Error(`multi-asset '${name}' did not return wanted output(s) ${missing.join(', ')}`);
  return Object.fromEntries(wanted.map((k) => [k, values[k]]));
}

/**
 * Declares several assets produced by one function (like Dagster's `@multi_asset`).
 *
 * The outputs selected in one run (and partition) are materialized by one step: the function
 * runs once, with `wanted` naming the selected outputs, and each returned value is stored,
 * checked and versioned as its own asset's materialization. Selecting a subset runs the
 * function for that subset only (like Dagster's `can_subset=True`).
 *
 * @example
 * ```ts
 * export const shop = multiAsset({
 *   name: 'shop',
 *   deps: { raw: rawOrders },
 *   outputs: { orders: { key: 'silver/orders' }, customers: { key: 'silver/customers' } },
 *   materialize: async (ctx, { raw }, wanted) => ({ orders: raw, customers: raw.map((o) => o.customer) }),
 * });
 * export const revenue = asset({ key: 'gold/revenue', deps: { orders: shop.outputs.orders }, materialize: ... });
 * ```
 * @throws AssetDefinitionError naming the multi-asset (or output) when the spec is invalid.
 */
export function multiAsset<
  const D extends DependencyMap = Record<never, never>,
  const O extends Record<string, MultiAssetOutputSpec> = Record<string, MultiAssetOutputSpec>,
  R extends Partial<Record<keyof O, unknown>> = Partial<Record<keyof O, unknown>>,
  const Res extends ResourceMap = Record<never, never>,
>(spec: MultiAssetSpec<D, O, R, Res>): MultiAsset<O, Awaited<R>> {
  const names = Object.keys(spec.outputs ?? {});
  if (names.length === 0) throw new AssetDefinitionError(`multi-asset '${spec.name}' has no outputs`, []);
  if (typeof spec.materialize !== 'function') {
    throw new AssetDefinitionError(`multi-asset '${spec.name}' has no materialize function`, []);
  }
  const keys = Object.freeze(Object.fromEntries(names.map((output) => [output, spec.outputs[output]!.key])));
  const materializeOutputs = async (ctx: AssetContext<unknown>, inputs: never, wanted: readonly string[]) =>
    pickOutputs(
      spec.name,
      wanted,
      await spec.materialize(
        ctx as AssetContext<undefined, ResourceInstances<Res>>,
        inputs,
        wanted as ReadonlyArray<keyof O & string>,
      ),
    );
  const outputs: Record<string, Asset> = {};
  for (const output of names) {
    const membership: MultiAssetMembership = Object.freeze({ name: spec.name, output, keys, materializeOutputs });
    const defined = asset({
      ...spec.outputs[output],
      deps: spec.deps ?? {},
      resources: spec.resources ?? {},
      // Run alone (the only output selected): the function is asked for this output only.
      materialize: async (ctx: AssetContext, inputs: never) =>
        (await materializeOutputs(ctx, inputs, [output]))[output],
    } as AssetSpec<D, unknown>) as Asset;
    outputs[output] = Object.freeze({ ...defined, multiAsset: membership });
  }
  return Object.freeze({
    kind: 'multi-asset' as const,
    name: spec.name,
    outputs: Object.freeze(outputs) as MultiAsset<O, Awaited<R>>['outputs'],
  });
}
