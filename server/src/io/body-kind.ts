import { Readable } from 'node:stream';
import type { PayloadBody } from '../sdk/context.js';
import { isPayloadRef } from '../sdk/payload-ref.js';

/**
 * The shape of a value returned by `materialize`, which decides how it is stored:
 * - `none`: `undefined`;
 * - `ref`: a PayloadRef the asset wrote itself, stored as-is;
 * - `buffer`: a Buffer or Uint8Array, always in the object store;
 * - `stream`: a Readable or any other async iterable of bytes, streamed to the object store;
 * - `json`: anything else, serialized as JSON (inline when small).
 */
export type ValueKind = 'none' | 'ref' | 'buffer' | 'stream' | 'json';

/** Classifies an output value; see {@link ValueKind}. */
export function kindOfValue(value: unknown): ValueKind {
  if (value === undefined) return 'none';
  if (isPayloadRef(value)) return 'ref';
  if (value instanceof Uint8Array) return 'buffer'; // Buffer is a Uint8Array
  if (isAsyncIterable(value)) return 'stream';
  return 'json';
}

/** True for Readables, async generators, web ReadableStreams: anything `for await` can consume. */
export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

/**
 * Turns a {@link PayloadBody} into a source `stream.pipeline` accepts without copying it.
 * Strings become UTF-8 bytes; async iterables are passed through and may yield strings or bytes.
 */
export function toByteSource(body: PayloadBody): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if (typeof body === 'string') return [Buffer.from(body, 'utf8')];
  if (body instanceof Uint8Array) return [body];
  if (body instanceof Readable || isAsyncIterable(body)) return checkedChunks(body);
  throw new TypeError(
    `A payload body must be a Buffer, a string, a Readable or an async iterable of bytes, got ${describeType(body)}`,
  );
}

// A non-byte chunk written straight into a byte stream throws synchronously inside `pipe`,
// outside any promise, and would crash the process; checked here it rejects the upload instead.
async function* checkedChunks(source: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    if (chunk instanceof Uint8Array) yield chunk;
    else if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
    else
      throw new TypeError(
        `The payload stream yielded ${describeType(chunk)}; it must yield Buffers, Uint8Arrays or strings`,
      );
  }
}

/** A short description of a value's type for error messages, e.g. `a number` or `an instance of Map`. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `an instance of ${name}` : 'an object';
  }
  return /^[aeiou]/.test(typeof value) ? `an ${typeof value}` : `a ${typeof value}`;
}
