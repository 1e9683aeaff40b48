import type { AssetContext } from './context.js';

/**
 * What an output of a `multiAsset` knows of its multi-asset, so that the engine can run the
 * function once for several selected outputs (one step, many materializations).
 */
export interface MultiAssetMembership {
  /** The multi-asset's name. */
  readonly name: string;
  /** This output's name. */
  readonly output: string;
  /** Every output's asset key, by output name. */
  readonly keys: Readonly<Record<string, string>>;
  /**
   * Calls the function once for the `wanted` output names and returns their values by name,
   * after checking it returned exactly those.
   */
  readonly materializeOutputs: (
    ctx: AssetContext<unknown>,
    inputs: never,
    wanted: readonly string[],
  ) => Promise<Record<string, unknown>>;
}
