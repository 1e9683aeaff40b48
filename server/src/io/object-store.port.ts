import type { Readable } from 'node:stream';
import type { PayloadBody } from '../sdk/context.js';
import type { PayloadRef } from '../sdk/payload-ref.js';

/**
 * Where payloads too large for the metadata database live. One implementation per backend:
 * the filesystem store (embedded mode, the default) and S3-compatible stores (a plugin).
 *
 * Objects are immutable: a key is written once and never overwritten, so a {@link PayloadRef}
 * stored in a materialization always points at the bytes it was hashed from. Weir deletes only
 * objects nothing in the database references: those of an attempt whose commit failed, and
 * orphans `weir gc` finds (older than its safety window).
 * Keys are relative slash-separated paths such as `runs/<runId>/<stepId>/<attemptId>/output.json`
 * (see `validateObjectKey`).
 */
export interface ObjectStore {
  /** URI scheme of the objects' URIs, e.g. `'file'` or `'s3'`. */
  readonly scheme: string;

  /**
   * Streams `body` to a new object at `key`, computing its size and SHA-256 while streaming
   * (memory stays flat for any size).
   *
   * Never overwrites: rejects with {@link ObjectExistsError} if `key` exists, atomically, even
   * with concurrent writers. If the body fails mid-way, rejects with {@link PayloadUploadError}
   * and leaves nothing visible at `key`. A `Readable` body is consumed, or destroyed on failure.
   */
  put(key: string, body: PayloadBody, options: { contentType: string }): Promise<PayloadRef>;

  /**
   * Opens an object, by its reference or its URI, as a byte stream.
   * Rejects with {@link ObjectNotFoundError} (naming the URI) when it does not exist.
   */
  open(refOrUri: PayloadRef | string): Promise<Readable>;

  /** True when an object exists at `key`. */
  exists(key: string): Promise<boolean>;

  /** The URI an object at `key` has (or would have once written). */
  uriFor(key: string): string;

  /**
   * Checks cheaply, without writing an object, that the store is reachable and usable now (for
   * `/readyz`). Rejects with an error saying what is wrong, never with credentials. Optional so
   * that stores built against an older `weir/plugin` still load; those are reported as unprobed.
   */
  ping?(): Promise<void>;

  /**
   * Every object whose key starts with `prefix` (a plain string prefix, as in S3: pass
   * `runs/<id>/` for a folder), in no particular order, streamed page by page. Uploads in
   * progress are not objects and are never listed. Optional so that stores built against an
   * older `weir/plugin` still load; without it `weir gc` reports the store as not collectable.
   */
  list?(prefix: string): AsyncIterable<StoredObject>;

  /**
   * Deletes the object at `key`; deleting a missing object succeeds (a retried or concurrent
   * delete is not an error). Only for objects no materialization or checkpoint references.
   * Optional for the same reason as {@link list}.
   */
  delete?(key: string): Promise<void>;
}

/** One listed object. */
export interface StoredObject {
  readonly key: string;
  /** Length in bytes. */
  readonly size: number;
  /** When it was written (the file's mtime; S3's LastModified). */
  readonly lastModified: Date;
}

/** Thrown by {@link ObjectStore.put} when an object already exists at the key: keys are never overwritten. */
export class ObjectExistsError extends Error {
  readonly key: string;
  readonly uri: string;

  constructor(key: string, uri: string) {
    super(`Object ${uri} already exists (key "${key}"); object-store keys are never overwritten`);
    this.name = 'ObjectExistsError';
    this.key = key;
    this.uri = uri;
  }
}

/**
 * Thrown by {@link ObjectStore.put} when writing the body fails (the body stream errored, the
 * disk is full, …). Nothing is left visible at the key; `cause` holds the original error.
 */
export class PayloadUploadError extends Error {
  readonly key: string;
  readonly uri: string;

  constructor(key: string, uri: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Failed to upload payload to ${uri} (key "${key}"): ${reason}`, { cause });
    this.name = 'PayloadUploadError';
    this.key = key;
    this.uri = uri;
  }
}

/** Thrown by {@link ObjectStore.open} when no object exists at the URI. */
export class ObjectNotFoundError extends Error {
  readonly uri: string;

  constructor(uri: string, detail?: string) {
    super(`Object ${uri} does not exist${detail ? ` (${detail})` : ''}`);
    this.name = 'ObjectNotFoundError';
    this.uri = uri;
  }
}

/** Thrown when stored bytes no longer match the size or SHA-256 recorded in their {@link PayloadRef}. */
export class PayloadIntegrityError extends Error {
  readonly uri: string;

  constructor(uri: string, problem: string) {
    super(`Object ${uri} is corrupt: ${problem}`);
    this.name = 'PayloadIntegrityError';
    this.uri = uri;
  }
}
