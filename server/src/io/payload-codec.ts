import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PayloadBody } from '../sdk/context.js';
import type { PayloadRef } from '../sdk/payload-ref.js';
// Type-only: the value types are part of the materialization's schema; nothing of TypeORM loads here.
import type { OutputValueType } from '../storage/entities/materialization.entity.js';
import type { TableMetadata } from '../sdk/table-metadata.js';
import { kindOfValue } from './body-kind.js';
import { APPLICATION_JSON, contentTypeFor, OCTET_STREAM } from './content-type.js';
import { EMPTY_SHA256, sha256Hex, VerifyingStream } from './hashing-stream.js';
import { serializeJson } from './json-serializer.js';
import { joinObjectKey, validateObjectKey } from './object-key.js';
import type { ObjectStore } from './object-store.port.js';

/** Name of a JSON output too large to inline, inside the attempt's key prefix. */
export const OUTPUT_JSON_NAME = 'output.json';
/** Name of a Buffer or stream output, inside the attempt's key prefix. */
export const OUTPUT_BIN_NAME = 'output.bin';
/** Folder, inside the attempt's key prefix, of files written with `ctx.store.write`. */
export const ASSET_FILES_DIR = 'files';

/** An asset's output as recorded in its materialization. */
export interface EncodedOutput {
  /** The shape the output had, so downstream assets receive it in the same shape. */
  valueType: OutputValueType;
  /** The JSON value itself when small enough, else `null`. */
  inline: unknown;
  /** Where the bytes live when they are not inline. */
  ref: PayloadRef | null;
  /** Size in bytes of the serialized output, inline or not. */
  size: number;
  /** Hex SHA-256 of the serialized output: the materialization's data version. */
  dataVersion: string;
  /** What Weir records about a `table` output (row count, schema, …); absent otherwise. */
  table?: TableMetadata;
}

/** Where and how {@link encodeOutput} stores an output. */
export interface EncodeOutputOptions {
  store: ObjectStore;
  /** The attempt's key prefix, e.g. `runs/<runId>/<stepId>/<attemptId>`. */
  keyPrefix: string;
  /** JSON of at most this many bytes is kept inline in the database (default policy: 64 KiB). */
  inlineLimit: number;
}

/**
 * Stores an asset's output: `undefined` as nothing; a PayloadRef as-is; a Buffer/Uint8Array or a
 * stream (any async iterable of bytes) in the object store, streamed; anything else as JSON,
 * inline when its UTF-8 JSON is at most `inlineLimit` bytes, else in the object store.
 *
 * Inline values are returned as `JSON.parse(JSON.stringify(value))`, i.e. exactly what a reader
 * will get back (Dates become strings).
 * @throws PayloadSerializationError when the value is not JSON-serializable (the message names where).
 * @throws PayloadUploadError / ObjectExistsError from the store.
 */
export async function encodeOutput(value: unknown, options: EncodeOutputOptions): Promise<EncodedOutput> {
  const { store, keyPrefix, inlineLimit } = options;
  validateObjectKey(keyPrefix);
  if (!Number.isSafeInteger(inlineLimit) || inlineLimit < 0) {
    throw new RangeError(`inlineLimit must be a non-negative integer number of bytes, got ${inlineLimit}`);
  }

  switch (kindOfValue(value)) {
    case 'none':
      return { valueType: 'none', inline: null, ref: null, size: 0, dataVersion: EMPTY_SHA256 };
    case 'ref': {
      const ref = checkRef(value as PayloadRef);
      return { valueType: 'ref', inline: null, ref, size: ref.size, dataVersion: ref.sha256 };
    }
    case 'buffer': {
      const bytes = value as Uint8Array;
      const body = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      return stored(
        'buffer',
        await store.put(joinObjectKey(keyPrefix, OUTPUT_BIN_NAME), body, { contentType: OCTET_STREAM }),
      );
    }
    case 'stream': {
      const body = value as AsyncIterable<Uint8Array>;
      return stored(
        'stream',
        await store.put(joinObjectKey(keyPrefix, OUTPUT_BIN_NAME), body, { contentType: OCTET_STREAM }),
      );
    }
    case 'json': {
      const json = serializeJson(value);
      const size = Buffer.byteLength(json);
      // PostgreSQL's jsonb rejects \u0000 in strings, so such values go to the object store whatever their size.
      if (size <= inlineLimit && !json.includes('\\u0000')) {
        return { valueType: 'json', inline: JSON.parse(json), ref: null, size, dataVersion: sha256Hex(json) };
      }
      const key = joinObjectKey(keyPrefix, OUTPUT_JSON_NAME);
      return stored('json', await store.put(key, Buffer.from(json, 'utf8'), { contentType: APPLICATION_JSON }));
    }
  }
}

/**
 * Turns a stored output back into the value `materialize` returned (as a downstream input):
 * `none` → `undefined`; JSON → the value; `buffer` → a Buffer; `stream` → a fresh Readable
 * (never buffered); `ref` and `table` → the PayloadRef itself.
 *
 * Bytes read from the store are checked against the reference's size and SHA-256; a mismatch
 * fails with PayloadIntegrityError (for streams, as an error at the end of the stream).
 */
export async function decodeOutput(
  encoded: { valueType: OutputValueType; inline: unknown; ref: PayloadRef | null },
  store: ObjectStore,
): Promise<unknown> {
  switch (encoded.valueType) {
    case 'none':
      return undefined;
    case 'ref':
    case 'table':
      // A table is read by DuckDB in place: the isolate turns it into a handle (src/tables);
      // readers outside an isolate get the Parquet file's reference.
      return requireRef(encoded);
    case 'json':
      if (encoded.ref === null || encoded.ref === undefined) return encoded.inline ?? null;
      return JSON.parse((await readAll(store, encoded.ref)).toString('utf8'));
    case 'buffer':
      return readAll(store, requireRef(encoded));
    case 'stream':
      return openVerified(store, requireRef(encoded));
    default:
      throw new Error(`Cannot decode an output of unknown value type ${JSON.stringify(encoded.valueType)}`);
  }
}

/**
 * Streams a file an asset writes itself (`ctx.store.write(name, body)`) to
 * `<keyPrefix>/files/<name>`. The content type defaults to a guess from the name's extension.
 */
export async function writeAssetFile(
  store: ObjectStore,
  keyPrefix: string,
  name: string,
  body: PayloadBody,
  contentType?: string,
): Promise<PayloadRef> {
  validateObjectKey(keyPrefix);
  validateObjectKey(name);
  // A folder of their own keeps asset files from colliding with Weir's output.json / output.bin.
  const key = joinObjectKey(keyPrefix, ASSET_FILES_DIR, name);
  return store.put(key, body, { contentType: contentType ?? contentTypeFor(name) });
}

function stored(valueType: OutputValueType, ref: PayloadRef): EncodedOutput {
  return { valueType, inline: null, ref, size: ref.size, dataVersion: ref.sha256 };
}

function checkRef(ref: PayloadRef): PayloadRef {
  const problem =
    ref.uri === ''
      ? 'its uri is empty'
      : !Number.isSafeInteger(ref.size) || ref.size < 0
        ? `its size must be a non-negative integer, got ${String(ref.size)}`
        : typeof ref.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(ref.sha256)
          ? `its sha256 must be 64 lowercase hex digits, got ${String(ref.sha256)}`
          : typeof ref.contentType !== 'string' || ref.contentType === ''
            ? 'its contentType is missing'
            : undefined;
  if (problem) throw new TypeError(`The output is a malformed PayloadRef (${ref.uri}): ${problem}`);
  return ref;
}

function requireRef(encoded: { valueType: OutputValueType; ref: PayloadRef | null }): PayloadRef {
  if (!encoded.ref) throw new Error(`A stored output of value type "${encoded.valueType}" has no payload reference`);
  return encoded.ref;
}

async function openVerified(store: ObjectStore, ref: PayloadRef): Promise<Readable> {
  const source = await store.open(ref);
  const verifier = new VerifyingStream(ref);
  // Errors reach the reader through `verifier` (pipeline destroys it with them), and a reader
  // that stops early destroys it, which closes the source; the promise itself has nothing to add.
  pipeline(source, verifier).catch(() => undefined);
  return verifier;
}

async function readAll(store: ObjectStore, ref: PayloadRef): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await openVerified(store, ref)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
