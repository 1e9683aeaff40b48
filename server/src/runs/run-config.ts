import type { AssetGraph } from '../graph/asset-graph.js';
import { closestKey } from '../graph/closest-key.js';
import { parseAssetConfig, RunConfigError } from '../sdk/run-config.js';
import type { JsonObject } from '../storage/json-value.js';

/**
 * A run's config: one entry per asset of the run that declares a `config` schema, keyed by asset
 * key (`{ "silver/orders": { "sampleSize": 10 } }`). Always keyed, even for one asset, so that
 * the same value means the same thing whatever else the selection holds.
 */
export type RunConfig = Readonly<Record<string, unknown>>;

/**
 * Checks a run's config against the schemas of the run's assets, on the engine's thread (which
 * loaded the definitions) before anything is written. Every asset with a schema is checked, with
 * `{}` when the config has no entry for it, so a required field missing is refused here rather
 * than in the first attempt. Returns the config to store (`null` when none was given).
 *
 * Schemas are declarative, but a refinement is user code running on the engine's thread: keep
 * them quick (they run once per launch, not per attempt).
 * @throws RunConfigError naming the asset and the field, or the entry that names no asset of the run.
 */
export async function checkRunConfig(
  graph: AssetGraph,
  assetKeys: readonly string[],
  given: unknown,
): Promise<JsonObject | null> {
  if (given !== undefined && given !== null && (typeof given !== 'object' || Array.isArray(given))) {
    throw new RunConfigError(
      `run config must be a JSON object keyed by asset key, e.g. {"silver/orders": {"sampleSize": 10}} (got ${Array.isArray(given) ? 'an array' : typeof given})`,
    );
  }
  const config = (given ?? {}) as RunConfig;
  const configurable = assetKeys.filter((key) => {
    const definition = graph.get(key);
    return definition.kind === 'asset' && definition.config !== undefined;
  });
  for (const key of Object.keys(config)) {
    if (configurable.includes(key)) continue;
    const inRun = assetKeys.includes(key);
    const hint = inRun ? '' : didYouMean(key, configurable);
    throw new RunConfigError(
      inRun
        ? `run config has an entry for asset '${key}', which declares no config schema`
        : `run config has an entry for '${key}', which is not an asset of this run${hint}${configurable.length ? ` (configurable: ${configurable.join(', ')})` : ''}`,
      key,
    );
  }
  for (const key of configurable) {
    const definition = graph.get(key);
    if (definition.kind === 'asset' && definition.config) await parseAssetConfig(key, definition.config, config[key]);
  }
  return given === undefined || given === null ? null : (given as JsonObject);
}

function didYouMean(key: string, candidates: readonly string[]): string {
  const closest = closestKey(key, candidates);
  return closest ? ` (did you mean '${closest}'?)` : '';
}

/** The JSON Schema of an asset's config (for the console's form), or `null` when it has none or the library gives none. */
export function configJsonSchema(graph: AssetGraph, assetKey: string): Record<string, unknown> | null {
  const definition = graph.get(assetKey);
  if (definition.kind !== 'asset' || !definition.config) return null;
  const converter = definition.config['~standard'].jsonSchema;
  if (!converter) return null;
  try {
    return converter.input({ target: 'draft-2020-12' });
  } catch {
    // Some types (transforms, dates) have no JSON Schema; the console then offers raw JSON.
    return null;
  }
}
