import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  ObjectExistsError,
  ObjectNotFoundError,
  PayloadUploadError,
  type ObjectStore,
  type PayloadBody,
  type PayloadRef,
  type StoredObject,
  validateObjectKey,
} from 'weir/plugin';
import { withKeyLock } from './key-lock.js';
import { destroyBody, HashingStream, toByteSource } from './payload-body.js';
import { isMissingBucket, isMissingKey, isNotImplemented, isPreconditionFailed } from './s3-errors.js';
import { keyOfUri, uriOf, type S3Location } from './s3-location.js';
import type { S3Sdk } from './s3-sdk.loader.js';

/** Size of each multipart-upload part. With {@link DEFAULT_QUEUE_SIZE}, bounds the memory of a put. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;

/** Parts uploaded concurrently; a put holds about `(queueSize + 1) × partSize` bytes at most. */
export const DEFAULT_QUEUE_SIZE = 2;

/** What an {@link S3ObjectStore} is built from; `createObjectStore(url)` fills it in from the environment. */
export interface S3ObjectStoreOptions {
  /** A configured client; the store never logs or shows its credentials. */
  readonly client: S3Client;
  /** The SDK classes, from `loadS3Sdk()`: the store itself imports no SDK code. */
  readonly sdk: S3Sdk;
  readonly location: S3Location;
  /** Tells servers apart in the in-process per-key queue, e.g. the endpoint URL. */
  readonly serverId?: string;
  readonly partSize?: number;
  readonly queueSize?: number;
  /**
   * Send `If-None-Match: *` so the server itself refuses to overwrite (default true). Turned off
   * automatically when the server answers that it does not implement it.
   */
  readonly conditionalWrites?: boolean;
}

/**
 * An {@link ObjectStore} on an S3-compatible bucket (AWS S3, MinIO, Ceph, R2, s3rver, …).
 * URIs are `s3://bucket/prefix/key`.
 *
 * `put` streams the body through a hashing stream into a multipart upload (`@aws-sdk/lib-storage`),
 * so memory stays near `(queueSize + 1) × partSize` whatever the payload's size. Never
 * overwriting takes three layers: a HEAD check that fails fast; `If-None-Match: *` on the write,
 * which S3 enforces atomically; and an in-process queue per key for servers that ignore that
 * header. What remains on such servers: two *processes* writing the same key at the same moment
 * can both succeed, the later overwriting. Weir's keys are attempt-scoped, so that takes one
 * attempt running twice at once, which the engine already prevents.
 *
 * A failed put never completes its multipart upload, so nothing appears at the key; the upload
 * is aborted on a best-effort basis (see `#abandon`).
 */
export class S3ObjectStore implements ObjectStore {
  readonly scheme = 's3';
  /** The bucket holding the objects. */
  readonly bucket: string;
  /** Key prefix inside the bucket: `''` or ending in `/`. */
  readonly prefix: string;
  readonly #client: S3Client;
  readonly #sdk: S3Sdk;
  readonly #location: S3Location;
  readonly #lockScope: string;
  readonly #partSize: number;
  readonly #queueSize: number;
  #conditionalWrites: boolean;

  constructor(options: S3ObjectStoreOptions) {
    this.#client = options.client;
    this.#sdk = options.sdk;
    this.#location = options.location;
    this.bucket = options.location.bucket;
    this.prefix = options.location.prefix;
    this.#lockScope = `${options.serverId ?? 'aws'}|${this.bucket}`;
    this.#partSize = options.partSize ?? DEFAULT_PART_SIZE;
    this.#queueSize = options.queueSize ?? DEFAULT_QUEUE_SIZE;
    this.#conditionalWrites = options.conditionalWrites ?? true;
    if (!Number.isSafeInteger(this.#partSize) || this.#partSize < 5 * 1024 * 1024) {
      throw new RangeError(`partSize must be a whole number of bytes ≥ 5 MiB (S3's minimum), got ${this.#partSize}`);
    }
    if (!Number.isSafeInteger(this.#queueSize) || this.#queueSize < 1) {
      throw new RangeError(`queueSize must be a whole number ≥ 1, got ${this.#queueSize}`);
    }
  }

  uriFor(key: string): string {
    return uriOf(this.#location, key);
  }

  async exists(key: string): Promise<boolean> {
    const uri = this.uriFor(key);
    return this.#headExists(this.prefix + key, uri);
  }

  /**
   * Lists at most one key under the prefix: one request that needs the bucket to exist, the
   * server to answer and the credentials to be accepted (the list permission `exists` relies on
   * already), scoped to the prefix so that prefix-limited policies allow it.
   */
  async ping(): Promise<void> {
    try {
      await this.#client.send(
        new this.#sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, MaxKeys: 1 }),
      );
    } catch (error) {
      throw new Error(`Cannot reach s3://${this.bucket}/${this.prefix}: ${describeSdkError(error)}`, { cause: error });
    }
  }

  async put(key: string, body: PayloadBody, options: { contentType: string }): Promise<PayloadRef> {
    let uri: string;
    let source: ReturnType<typeof toByteSource>;
    try {
      uri = this.uriFor(key);
      source = toByteSource(body);
      if (typeof options?.contentType !== 'string' || options.contentType === '') {
        throw new TypeError(`put("${key}") needs a contentType, e.g. "application/octet-stream"`);
      }
    } catch (error) {
      destroyBody(body);
      throw error;
    }
    const objectKey = this.prefix + key;
    return withKeyLock(`${this.#lockScope}|${objectKey}`, async () => {
      // Fail fast instead of streaming gigabytes only to lose at completion.
      let exists: boolean;
      try {
        exists = await this.#headExists(objectKey, uri);
      } catch (error) {
        destroyBody(body);
        throw new PayloadUploadError(key, uri, error);
      }
      if (exists) {
        destroyBody(body);
        throw new ObjectExistsError(key, uri);
      }
      return this.#upload({ key, objectKey, uri, source, body, contentType: options.contentType });
    });
  }

  async open(refOrUri: PayloadRef | string): Promise<Readable> {
    const uri = typeof refOrUri === 'string' ? refOrUri : refOrUri?.uri;
    const key = keyOfUri(this.#location, uri);
    let body: unknown;
    try {
      const output = await this.#client.send(
        new this.#sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }),
      );
      body = output.Body;
    } catch (error) {
      if (isMissingBucket(error)) throw new ObjectNotFoundError(uri, `bucket "${this.bucket}" does not exist`);
      if (isMissingKey(error)) throw new ObjectNotFoundError(uri);
      throw new Error(`Cannot open ${uri}: ${describeSdkError(error)}`, { cause: error });
    }
    // In Node the SDK returns the HTTP response itself: streaming, never buffered.
    if (!(body instanceof Readable)) throw new Error(`Cannot open ${uri}: the S3 response has no body stream`);
    return body;
  }

  /** Pages through ListObjectsV2 (1000 keys a request); keys are given without the store's prefix. */
  async *list(prefix: string): AsyncIterable<StoredObject> {
    if (typeof prefix !== 'string') throw new TypeError(`list() needs a key prefix string, got ${String(prefix)}`);
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.#client.send(
          new this.#sdk.ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + prefix,
            ...(token === undefined ? {} : { ContinuationToken: token }),
          }),
        );
      } catch (error) {
        throw new Error(`Cannot list s3://${this.bucket}/${this.prefix}${prefix}: ${describeSdkError(error)}`, {
          cause: error,
        });
      }
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || !object.Key.startsWith(this.prefix)) continue;
        yield {
          key: object.Key.slice(this.prefix.length),
          size: object.Size ?? 0,
          lastModified: object.LastModified ?? new Date(0),
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  /** S3 answers a delete of a missing key with success too, which is what the port asks. */
  async delete(key: string): Promise<void> {
    validateObjectKey(key);
    try {
      await this.#client.send(new this.#sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
    } catch (error) {
      if (isMissingKey(error)) return;
      throw new Error(`Cannot delete ${this.uriFor(key)}: ${describeSdkError(error)}`, { cause: error });
    }
  }

  /** Closes the client's idle connections. The store must not be used afterwards. */
  destroy(): void {
    this.#client.destroy();
  }

  async #upload(job: {
    key: string;
    objectKey: string;
    uri: string;
    source: ReturnType<typeof toByteSource>;
    body: PayloadBody;
    contentType: string;
  }): Promise<PayloadRef> {
    const { key, objectKey, uri, contentType } = job;
    const hasher = new HashingStream();
    // A source error reaches the upload through `hasher` (pipeline destroys it with that error),
    // so the pipeline's own rejection carries nothing new.
    const feeding = pipeline(job.source, hasher).catch(() => undefined);
    const conditional = this.#conditionalWrites;
    const upload = new this.#sdk.Upload({
      client: this.#client,
      params: {
        Bucket: this.bucket,
        Key: objectKey,
        Body: hasher,
        ContentType: contentType,
        // Sent on PutObject (small bodies) and CompleteMultipartUpload, where S3 checks it atomically.
        ...(conditional ? { IfNoneMatch: '*' } : {}),
      },
      partSize: this.#partSize,
      queueSize: this.#queueSize,
      // Aborting is done in `#abandon`, so that a failing abort cannot replace the error that caused it.
      leavePartsOnError: true,
    });
    try {
      await upload.done();
    } catch (error) {
      hasher.destroy();
      destroyBody(job.body);
      await feeding;
      await this.#abandon(objectKey, upload.uploadId);
      if (isPreconditionFailed(error)) throw new ObjectExistsError(key, uri);
      if (conditional && isNotImplemented(error)) {
        // The server refused the header; later puts go without it (in-process queue + HEAD only).
        this.#conditionalWrites = false;
        const reason = new Error(
          `the S3 server does not implement conditional writes (If-None-Match: *); later puts of this store skip them (${describeSdkError(error)})`,
          { cause: error },
        );
        throw new PayloadUploadError(key, uri, reason);
      }
      throw new PayloadUploadError(key, uri, error);
    }
    await feeding;
    return { kind: 'payload-ref', uri, size: hasher.byteCount, sha256: hasher.digest(), contentType };
  }

  async #headExists(objectKey: string, uri: string): Promise<boolean> {
    try {
      await this.#client.send(new this.#sdk.HeadObjectCommand({ Bucket: this.bucket, Key: objectKey }));
      return true;
    } catch (error) {
      if (isMissingKey(error)) return false;
      throw new Error(`Cannot check whether ${uri} exists: ${describeSdkError(error)}`, { cause: error });
    }
  }

  /**
   * Best-effort abort of a failed multipart upload. Its parts are never visible at the key
   * either way; aborting only frees their storage. Failure is ignored: s3rver does not implement
   * AbortMultipartUpload (405), and on AWS a lifecycle rule (AbortIncompleteMultipartUpload)
   * reclaims what an abort could not.
   */
  async #abandon(objectKey: string, uploadId: string | undefined): Promise<void> {
    if (uploadId === undefined) return;
    try {
      await this.#client.send(
        new this.#sdk.AbortMultipartUploadCommand({ Bucket: this.bucket, Key: objectKey, UploadId: uploadId }),
      );
    } catch {
      // See above: nothing is visible, and the original error is what the caller needs.
    }
  }
}

/** `NoSuchBucket (HTTP 404): The specified bucket does not exist`; HEAD errors have only a status. */
function describeSdkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  const head = typeof status === 'number' ? `${error.name} (HTTP ${status})` : error.name;
  return error.message === '' || error.message === 'UnknownError' ? head : `${head}: ${error.message}`;
}
