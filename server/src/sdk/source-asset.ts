import { assertValidKey, normalizeTags, type AssetMetadata } from './asset-metadata.js';
import { callerLocation } from './caller-location.js';

/** What a downstream asset receives for a source asset: its latest observation, if any. */
export type ObservationInput =
  | {
      readonly observedAt: string;
      readonly dataVersion: string | undefined;
      readonly metadata: Readonly<Record<string, unknown>>;
    }
  | undefined;

/** An external asset: Weir never materializes it, external systems report its changes. */
export interface SourceAsset {
  readonly kind: 'source';
  readonly key: string;
  readonly group: string;
  readonly owners: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly description: string | undefined;
  readonly definedAt: string;
}

/**
 * Declares a source (external) asset: data that lives outside Weir, such as a vendor's
 * S3 drop or an upstream team's table. It is observed (through the API or a sensor),
 * never materialized; assets that depend on it receive its latest observation.
 */
export function sourceAsset(spec: AssetMetadata): SourceAsset {
  const definedAt = callerLocation();
  assertValidKey(spec.key, definedAt);
  return Object.freeze({
    kind: 'source' as const,
    key: spec.key,
    group: spec.group ?? 'default',
    owners: Object.freeze([...(spec.owners ?? [])]),
    tags: Object.freeze(normalizeTags(spec.tags)),
    description: spec.description,
    definedAt,
  });
}
