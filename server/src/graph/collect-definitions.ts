import type { AnyAssetDefinition } from '../sdk/asset.js';
import { isMappedDependency } from '../sdk/partition-mapping.js';

/**
 * The asset definitions of an asset project module, ready for `AssetGraph.build`.
 *
 * Looks at each exported value: an asset or source asset, or an array or plain object whose
 * values are (one level deep, e.g. `export const bronze = [orders, customers]`). Assets used
 * as dependencies are included too, transitively, even when they are not exported, so that a
 * helper asset defined next to its only consumer still runs.
 *
 * Each object counts once however often it is seen (two *different* objects with the same key
 * are kept, so that the graph reports the duplicate). The order is first-seen: an asset comes
 * before the dependencies it brought in.
 */
export function collectDefinitions(moduleExports: Record<string, unknown>): AnyAssetDefinition[] {
  const collected: AnyAssetDefinition[] = [];
  const seen = new Set<AnyAssetDefinition>();
  // An explicit stack rather than recursion: a long chain of unexported dependencies must
  // not overflow the call stack.
  const stack: AnyAssetDefinition[] = [];
  const visit = (root: AnyAssetDefinition): void => {
    stack.push(root);
    while (stack.length > 0) {
      const definition = stack.pop()!;
      if (seen.has(definition)) continue;
      seen.add(definition);
      collected.push(definition);
      if (definition.kind !== 'asset') continue;
      const dependencies = Object.values(definition.deps)
        .map((dep) => (isMappedDependency(dep) ? dep.upstream : dep))
        .filter(isAssetDefinition);
      // Pushed in reverse so that they are visited in declaration order.
      for (let i = dependencies.length - 1; i >= 0; i--) stack.push(dependencies[i]!);
    }
  };

  for (const value of Object.values(moduleExports)) {
    if (isAssetDefinition(value)) visit(value);
    // A multi-asset is not an asset itself: its outputs are, each with its own key.
    else if (isMultiAsset(value)) Object.values(value.outputs).filter(isAssetDefinition).forEach(visit);
    else if (Array.isArray(value)) value.filter(isAssetDefinition).forEach(visit);
    else if (isPlainObject(value)) Object.values(value).filter(isAssetDefinition).forEach(visit);
  }
  return collected;
}

/** True for what `multiAsset()` returns. */
function isMultiAsset(value: unknown): value is { readonly outputs: Record<string, unknown> } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'multi-asset' &&
    typeof (value as { outputs?: unknown }).outputs === 'object'
  );
}

/** True for what `asset()` and `sourceAsset()` return. */
export function isAssetDefinition(value: unknown): value is AnyAssetDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, key } = value as { kind?: unknown; key?: unknown };
  return (kind === 'asset' || kind === 'source') && typeof key === 'string';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
