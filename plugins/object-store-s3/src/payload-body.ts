/**
 * Turning a payload body into bytes and hashing them on the way. Weir's own helpers
 * (`weir/plugin`: `toByteSource`, `HashingStream`) are not used here because lib-storage reads a
 * `size` property of an upload's Body as its total length, and Weir's HashingStream has one.
 */
import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { PayloadBody } from 'weir/plugin';

/**
 * A source `stream.pipeline` accepts, without copying the body. Strings become UTF-8 bytes;
 * async iterables may yield strings or bytes, anything else rejects the upload.
 * @throws TypeError when `body` is not a {@link PayloadBody}.
 */
export function toByteSource(body: PayloadBody): AsyncIterable<Uint8Array> | Iterable<Uint8Array> {
  if (typeof body === 'string') return [Buffer.from(body, 'utf8')];
  if (body instanceof Uint8Array) return [body];
  if (body instanceof Readable || isAsyncIterable(body)) return checkedChunks(body);
  throw new TypeError(
    `A payload body must be a Buffer, a string, a Readable or an async iterable of bytes, got ${describeType(body)}`,
  );
}

/** Destroys `body` if it is a stream, so that a rejected put does not leave its source open. */
export function destroyBody(body: unknown): void {
  const destroy = (body as { destroy?: unknown } | null)?.destroy;
  if (typeof destroy === 'function') destroy.call(body);
}

/**
 * A pass-through stream that counts and hashes the bytes flowing through it.
 *
 * The count is deliberately not called `size` (nor `length`, `byteLength`, `start`/`end`, `path`):
 * lib-storage reads those on an upload's Body as its total length, and would take the count
 * at the start, 0, as the size of the whole object.
 */
export class HashingStream extends Transform {
  readonly #hash: Hash = createHash('sha256');
  #byteCount = 0;
  #digest: string | undefined;

  /** Bytes seen so far. */
  get byteCount(): number {
    return this.#byteCount;
  }

  /** Hex SHA-256 of all bytes seen; call once the stream has finished. */
  digest(): string {
    this.#digest ??= this.#hash.digest('hex');
    return this.#digest;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.#byteCount += chunk.length;
    callback(null, chunk);
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

// A non-byte chunk written straight into a byte stream throws inside `pipe`, outside any
// promise, and would crash the process; checked here it rejects the upload instead.
async function* checkedChunks(source: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    if (chunk instanceof Uint8Array) yield chunk;
    else if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
    else {
      throw new TypeError(
        `The payload stream yielded ${describeType(chunk)}; it must yield Buffers, Uint8Arrays or strings`,
      );
    }
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== 'Object' ? `an instance of ${name}` : 'an object';
  }
  return /^[aeiou]/.test(typeof value) ? `an ${typeof value}` : `a ${typeof value}`;
}
