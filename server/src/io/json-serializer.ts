/**
 * Thrown when an asset's output cannot be stored as JSON. The message names the offending
 * value by path (e.g. `$.orders[3].total`) and says what to return instead.
 */
export class PayloadSerializationError extends Error {
  /** Path of the offending value, `$` being the output itself. */
  readonly path: string;

  constructor(path: string, problem: string, cause?: unknown) {
    super(
      `Cannot serialize the output as JSON: ${path} is ${problem}. ` +
        'Return JSON-serializable data, a Buffer, a stream or a PayloadRef.',
      cause === undefined ? undefined : { cause },
    );
    this.name = 'PayloadSerializationError';
    this.path = path;
  }
}

/**
 * `JSON.stringify`, except that values JSON would silently drop or mangle (functions, symbols,
 * Maps, Sets) and values it cannot encode (BigInt, circular structures) throw a
 * {@link PayloadSerializationError} naming where they are.
 */
export function serializeJson(value: unknown): string {
  let json: string | undefined;
  try {
    // The replacer sees every value after `toJSON`, exactly as JSON.stringify encodes it; it only
    // flags trouble, and the slower path-tracking walk runs once something went wrong.
    json = JSON.stringify(value, (_key, v: unknown) => {
      if (problemWith(v) !== undefined) throw new Error('unserializable value');
      return v;
    });
  } catch (error) {
    const found = safeFindProblem(value);
    if (found) throw new PayloadSerializationError(found.path, found.problem, error);
    const reason = error instanceof Error ? error.message : String(error);
    throw new PayloadSerializationError('$', `not serializable (${reason})`, error);
  }
  if (json === undefined)
    throw new PayloadSerializationError('$', 'serialized to nothing (its toJSON() returned undefined)');
  return json;
}

/** Why `value` cannot be stored as JSON, or `undefined` when it can (ignoring what it contains). */
function problemWith(value: unknown): string | undefined {
  switch (typeof value) {
    case 'function':
      return 'a function (functions cannot be stored)';
    case 'symbol':
      return 'a symbol (symbols cannot be stored)';
    case 'bigint':
      return 'a BigInt (JSON has no such numbers; convert it to a string or a number)';
    default:
      if (value instanceof Map) return 'a Map (JSON would store it as {}; convert it with Object.fromEntries(map))';
      if (value instanceof Set) return 'a Set (JSON would store it as {}; convert it with [...set])';
      return undefined;
  }
}

interface Problem {
  readonly path: string;
  readonly problem: string;
}

function safeFindProblem(root: unknown): Problem | undefined {
  try {
    return findProblem(root);
  } catch {
    // A structure deep enough to overflow the stack, or a throwing toJSON: fall back to JSON's own message.
    return undefined;
  }
}

/** Walks `root` the way JSON.stringify does, tracking paths, and returns the first problem found. */
function findProblem(root: unknown): Problem | undefined {
  const ancestors: { value: object; path: string }[] = [];

  const visit = (key: string, raw: unknown, path: string): Problem | undefined => {
    const toJSON = (raw as { toJSON?: unknown } | null | undefined)?.toJSON;
    const value = typeof toJSON === 'function' ? (toJSON.call(raw, key) as unknown) : raw;
    const problem = problemWith(value);
    if (problem !== undefined) return { path, problem };
    if (typeof value !== 'object' || value === null) return undefined;

    const ancestor = ancestors.find((a) => a.value === value);
    if (ancestor) return { path, problem: `a circular reference back to ${ancestor.path}` };
    ancestors.push({ value, path });
    const keys = Array.isArray(value) ? value.map((_, i) => String(i)) : Object.keys(value);
    for (const childKey of keys) {
      const childPath = Array.isArray(value) ? `${path}[${childKey}]` : `${path}${propertyAccess(childKey)}`;
      const found = visit(childKey, (value as Record<string, unknown>)[childKey], childPath);
      if (found) return found;
    }
    ancestors.pop();
    return undefined;
  };

  return visit('', root, '$');
}

function propertyAccess(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
