import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { PayloadIntegrityError } from './object-store.port.js';

/** Hex SHA-256 of `data` (UTF-8 for strings). */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hex SHA-256 of zero bytes: the data version of an asset that returned nothing. */
export const EMPTY_SHA256 = sha256Hex('');

/**
 * A pass-through stream that counts and hashes the bytes flowing through it, so a payload is
 * hashed while it is written or read instead of being held in memory.
 */
export class HashingStream extends Transform {
  readonly #hash: Hash = createHash('sha256');
  #size = 0;
  #digest: string | undefined;

  /** Bytes seen so far. */
  get size(): number {
    return this.#size;
  }

  /** Hex SHA-256 of all bytes seen; call once the stream has finished. */
  digest(): string {
    this.#digest ??= this.#hash.digest('hex');
    return this.#digest;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hash.update(chunk);
    this.#size += chunk.length;
    callback(null, chunk);
  }
}

/**
 * A {@link HashingStream} that fails at the end of the data if the bytes do not match the
 * expected size and SHA-256, so a reader never silently accepts a truncated or altered object.
 */
export class VerifyingStream extends HashingStream {
  readonly #expected: { readonly uri: string; readonly size: number; readonly sha256: string };

  constructor(expected: { readonly uri: string; readonly size: number; readonly sha256: string }) {
    super();
    this.#expected = expected;
  }

  override _flush(callback: TransformCallback): void {
    const { uri, size, sha256 } = this.#expected;
    if (this.size !== size) {
      callback(new PayloadIntegrityError(uri, `expected ${size} bytes, read ${this.size}`));
      return;
    }
    const actual = this.digest();
    if (actual !== sha256) {
      callback(new PayloadIntegrityError(uri, `expected sha256 ${sha256}, read ${actual}`));
      return;
    }
    callback();
  }
}
