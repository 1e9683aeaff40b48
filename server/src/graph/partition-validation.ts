import type { AnyAssetDefinition } from '../sdk/asset.js';
import type { Culprit } from '../sdk/definition-error.js';
import { isMappedDependency } from '../sdk/partition-mapping.js';
import type { PartitionsDefinition } from '../sdk/partitions.js';
import { resolveMapping, type ResolvedMapping } from '../partitions/partition-mapping.js';
import { dependencyKey } from '../sdk/asset.js';

/** How an asset is partitioned; source assets never are. */
export function partitionsOf(definition: AnyAssetDefinition): PartitionsDefinition | undefined {
  return definition.kind === 'asset' ? definition.partitions : undefined;
}

/** One input of an asset with the partition mapping it reads through. */
export interface MappedInput {
  readonly name: string;
  readonly key: string;
  readonly mapping: ResolvedMapping;
}

/**
 * The inputs of `definition` with their resolved partition mappings (see `resolveMapping`).
 * `lookup` finds the upstream definitions; an input whose upstream is unknown is left out (the
 * graph reports it), and so is one whose mapping does not resolve (see {@link partitionProblems}).
 */
export function mappedInputsOf(
  definition: AnyAssetDefinition,
  lookup: (key: string) => AnyAssetDefinition | undefined,
): MappedInput[] {
  if (definition.kind !== 'asset') return [];
  const inputs: MappedInput[] = [];
  for (const [name, dependency] of Object.entries(definition.deps)) {
    const upstream = lookup(dependencyKey(dependency));
    if (!upstream) continue;
    const declared = isMappedDependency(dependency) ? dependency.mapping : undefined;
    const mapping = resolveMapping(definition.partitions, partitionsOf(upstream), declared);
    if ('kind' in mapping) inputs.push({ name, key: upstream.key, mapping });
  }
  return inputs;
}

/**
 * Every input whose partitions do not fit: a mapping on an unpartitioned upstream, a monthly
 * asset reading a daily one without saying how, a `timeWindow` that would read several
 * partitions… Each problem names the asset, the input and the upstream.
 */
export function partitionProblems(
  definitions: readonly AnyAssetDefinition[],
  lookup: (key: string) => AnyAssetDefinition | undefined,
): Array<{ text: string; culprits: Culprit[] }> {
  const problems: Array<{ text: string; culprits: Culprit[] }> = [];
  for (const definition of definitions) {
    if (definition.kind !== 'asset') continue;
    for (const [name, dependency] of Object.entries(definition.deps)) {
      const upstream = lookup(dependencyKey(dependency));
      if (!upstream) continue;
      const declared = isMappedDependency(dependency) ? dependency.mapping : undefined;
      const mapping = resolveMapping(definition.partitions, partitionsOf(upstream), declared);
      if ('problem' in mapping) {
        problems.push({
          text: `asset '${definition.key}' input '${name}' (from '${upstream.key}'): ${mapping.problem}`,
          culprits: [
            { key: definition.key, definedAt: definition.definedAt },
            { key: upstream.key, definedAt: upstream.definedAt },
          ],
        });
      }
    }
  }
  return problems;
}
