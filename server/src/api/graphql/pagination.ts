import { apiError } from './api-errors.js';

/** The largest page any list field returns: a bigger `first` is refused, not truncated. */
export const MAX_PAGE_SIZE = 100;

/**
 * Fields whose size argument allows more than {@link MAX_PAGE_SIZE} ("Type.field"): the
 * resolvers pass these to {@link pageSize}, and the cost estimate assumes them for a variable.
 */
export const PAGE_MAXIMA: Readonly<Record<string, number>> = {
  'Run.events': 1000,
  'Run.logs': 1000,
  'Asset.metadataSeries': 1000,
  'Asset.rowCountSeries': 1000,
  'Asset.freshnessHistory': 500,
  'Asset.decisions': 500,
};

/** Validates a `first` argument: an integer from 1 to `max`. */
export function pageSize(first: unknown, max = MAX_PAGE_SIZE, argument = 'first'): number {
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > max)
    throw apiError('BAD_USER_INPUT', `${argument} must be an integer from 1 to ${max} (got ${String(first)})`, {
      argument,
    });
  return first;
}

/** A keyset position: newest-first lists page by (timestamp, id). */
export interface KeysetCursor {
  /** The timestamp as PostgreSQL prints it: microseconds kept (a JS Date would drop them). */
  readonly at: string;
  readonly id: string;
}

export function encodeCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

/** Decodes an `after` argument, refusing anything this API did not hand out. */
export function decodeCursor(after: unknown): KeysetCursor | null {
  if (after === undefined || after === null) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(String(after), 'base64url').toString('utf8')) as [string, string];
    if (typeof at !== 'string' || !/^\d{4}-\d{2}-\d{2}[ T][\d:.]+(Z|[+-]\d{2}(:?\d{2})?)?$/.test(at))
      throw new Error('bad cursor');
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new Error('bad cursor');
    return { at, id };
  } catch {
    throw apiError('BAD_USER_INPUT', `'after' is not a cursor returned by this API: ${JSON.stringify(after)}`, {
      argument: 'after',
    });
  }
}
