import type { ValueTransformer } from 'typeorm';

/** A 64-bit value read from the database that a JavaScript number cannot hold exactly. */
export class UnsafeIntegerError extends RangeError {
  constructor(what: string, value: unknown) {
    super(
      `${what} is ${String(value)}, above Number.MAX_SAFE_INTEGER (${Number.MAX_SAFE_INTEGER}): Weir cannot represent it exactly`,
    );
    this.name = 'UnsafeIntegerError';
  }
}

/**
 * Reads a bigint (int8) as a number. pg and our PGlite setup return int8 as strings so that no
 * precision is lost silently; this refuses, naming the column, what a number would round.
 */
export function toSafeInteger(raw: string | number | bigint, what: string): number {
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isSafeInteger(value)) throw new UnsafeIntegerError(what, raw);
  return value;
}

/**
 * The transformer of a `bigint` column mapped to a number (byte sizes, durations in ms): exact
 * up to 2^53 - 1 (8 PiB), an {@link UnsafeIntegerError} beyond, in either direction.
 */
export function safeIntegerColumn(what: string): ValueTransformer {
  return {
    // Also called with FindOperators and null in where clauses: only numbers are checked.
    to: (value: unknown) => {
      if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new UnsafeIntegerError(what, value);
      return value;
    },
    from: (raw: string | number | null) => (raw === null || raw === undefined ? raw : toSafeInteger(raw, what)),
  };
}
