import { AssetDefinitionError } from './definition-error.js';

/** Metadata shared by materializable and source assets. */
export interface AssetMetadata {
  /** Unique key such as `'silver/orders'`: lowercase words joined by `/`, `_` or `-`. */
  readonly key: string;
  /** Group shown in the console and selectable as `group:<name>`. */
  readonly group?: string;
  /** Owners (people or teams) alerted and shown in the console. */
  readonly owners?: readonly string[];
  /** Tags, selectable as `tag:<name>` (or `tag:<name>=<value>`). */
  readonly tags?: readonly string[] | Readonly<Record<string, string>>;
  /** Free text shown in the console. */
  readonly description?: string;
}

const KEY_PATTERN = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/;

/**
 * The longest asset key: keys travel in URLs, object-store paths and every API call, and the
 * API refuses longer ones before they reach the database.
 */
export const MAX_ASSET_KEY_LENGTH = 512;

/** Throws unless `key` is a well-formed asset key of at most {@link MAX_ASSET_KEY_LENGTH} characters. */
export function assertValidKey(key: unknown, definedAt: string): asserts key is string {
  if (typeof key === 'string' && key.length > MAX_ASSET_KEY_LENGTH) {
    throw new AssetDefinitionError(
      `asset key '${key.slice(0, 60)}…' is ${key.length} characters long; the limit is ${MAX_ASSET_KEY_LENGTH}`,
      [{ key: `${key.slice(0, 60)}…`, definedAt }],
    );
  }
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw new AssetDefinitionError(
      `invalid asset key ${JSON.stringify(key)}: use lowercase words joined by '/', e.g. 'silver/orders'`,
      [{ key: String(key), definedAt }],
    );
  }
}

/** Normalizes tags given as a list (`['pii']`) or a record (`{ tier: 'gold' }`). */
export function normalizeTags(tags: AssetMetadata['tags']): Readonly<Record<string, string>> {
  if (!tags) return {};
  if (Array.isArray(tags)) return Object.fromEntries(tags.map((tag: string) => [tag, '']));
  return { ...(tags as Record<string, string>) };
}
