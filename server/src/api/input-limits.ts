import { MAX_ASSET_KEY_LENGTH } from '../sdk/asset-metadata.js';

/**
 * Limits on the strings a caller may send (GraphQL arguments and variables, REST parameters),
 * checked before anything reaches SQL: PostgreSQL refuses a NUL byte in text (an internal
 * error, with the statement in the log), and a 100 kB "key" only wastes work and echoes back.
 */
export const INPUT_LIMITS = {
  /** Asset keys (`bronze/orders`): what the SDK accepts in `asset({ key })`. */
  assetKey: MAX_ASSET_KEY_LENGTH,
  /** Partition keys and partition range bounds. */
  partitionKey: 512,
  /** Run, backfill, token and event ids (and unique prefixes of them; a token itself fits). */
  id: 64,
  /** Pagination cursors handed out by the API. */
  cursor: 256,
  /** Any other string: selections, names, filters, strings inside JSON metadata. */
  text: 16_384,
  /** Keys of objects inside JSON values (metadata). */
  jsonKey: 512,
} as const;

// Argument and input-field names, whatever the field: the schema uses them consistently.
const LIMIT_BY_NAME: Readonly<Record<string, number>> = {
  key: INPUT_LIMITS.assetKey,
  keys: INPUT_LIMITS.assetKey,
  assetKey: INPUT_LIMITS.assetKey,
  asset: INPUT_LIMITS.assetKey,
  partition: INPUT_LIMITS.partitionKey,
  partitions: INPUT_LIMITS.partitionKey,
  partitionKey: INPUT_LIMITS.partitionKey,
  from: INPUT_LIMITS.partitionKey,
  to: INPUT_LIMITS.partitionKey,
  id: INPUT_LIMITS.id,
  runId: INPUT_LIMITS.id,
  afterId: INPUT_LIMITS.id,
  after: INPUT_LIMITS.cursor,
};

/** The longest string accepted for an argument or input field called `name`. */
export function lengthLimitOf(name: string): number {
  return LIMIT_BY_NAME[name] ?? INPUT_LIMITS.text;
}

/** Why `value` is refused for the input at `path` (named after its last part), or undefined. */
export function stringProblem(path: string, value: string, limit = lengthLimitOf(lastName(path))): string | undefined {
  const nul = value.indexOf('\u0000');
  if (nul >= 0) return `${path} contains a NUL byte (\\u0000) at position ${nul}: strings may not contain NUL`;
  if (value.length > limit) return `${path} is ${value.length} characters long; the limit is ${limit}`;
  return undefined;
}

/**
 * The first problem of any string in a JSON-like value (list items, object fields and object
 * keys included), each string limited by the name of the field that holds it. Inside a JSON
 * scalar (metadata) the keys are the caller's own: at worst a key named like an asset key
 * gets the asset-key limit.
 */
export function valueProblem(path: string, value: unknown): string | undefined {
  if (typeof value === 'string') return stringProblem(path, value);
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const problem = valueProblem(`${path}[${index}]`, item);
      if (problem) return problem;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem =
        stringProblem(`a key in ${path}`, key, INPUT_LIMITS.jsonKey) ?? valueProblem(`${path}.${key}`, item);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** `filter.asset` → `asset`; `partitions[3]` → `partitions`. */
function lastName(path: string): string {
  return (path.split('.').at(-1) ?? path).replace(/(\[\d+\])+$/, '').replace(/^a key in /, '');
}
