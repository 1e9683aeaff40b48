import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PayloadRef } from '../sdk/payload-ref.js';
import { FilesystemObjectStore } from './filesystem-object-store.js';
import { EMPTY_SHA256, sha256Hex } from './hashing-stream.js';
import { PayloadSerializationError } from './json-serializer.js';
import { InvalidObjectKeyError } from './object-key.js';
import { ObjectExistsError, PayloadIntegrityError } from './object-store.port.js';
import { decodeOutput, encodeOutput, writeAssetFile } from './payload-codec.js';

const PREFIX = 'runs/run-1/step-1/attempt-1';
const INLINE_LIMIT = 1024;

let root: string;
let store: FilesystemObjectStore;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'weir-codec-'));
  store = new FilesystemObjectStore(root);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function encode(value: unknown) {
  return encodeOutput(value, { store, keyPrefix: PREFIX, inlineLimit: INLINE_LIMIT });
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function objectKeys(): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

describe('encodeOutput / decodeOutput', () => {
  it('keeps small JSON inline, as it will read back after a round trip', async () => {
    const value = { rows: 3, at: new Date('2024-05-01T00:00:00Z'), tags: ['a', 'b'], skipped: undefined };
    const encoded = await encode(value);
    const json = '{"rows":3,"at":"2024-05-01T00:00:00.000Z","tags":["a","b"]}';

    expect(encoded).toEqual({
      valueType: 'json',
      inline: { rows: 3, at: '2024-05-01T00:00:00.000Z', tags: ['a', 'b'] },
      ref: null,
      size: Buffer.byteLength(json),
      dataVersion: sha256Hex(json),
    });
    expect(await decodeOutput(encoded, store)).toEqual(encoded.inline);
    expect(await objectKeys()).toEqual([]);
  });

  it('keeps JSON scalars and null inline, distinct from no output', async () => {
    expect(await encode(null)).toMatchObject({ valueType: 'json', inline: null, ref: null, size: 4 });
    expect(await encode('text')).toMatchObject({ valueType: 'json', inline: 'text', size: 6 });
    expect(await decodeOutput({ valueType: 'json', inline: null, ref: null }, store)).toBeNull();
    expect(await decodeOutput({ valueType: 'json', inline: 0, ref: null }, store)).toBe(0);
  });

  it('inlines JSON of exactly the limit and stores one byte more by reference', async () => {
    const atLimit = 'x'.repeat(INLINE_LIMIT - 2); // the quotes make it INLINE_LIMIT bytes
    expect(await encode(atLimit)).toMatchObject({ valueType: 'json', inline: atLimit, ref: null, size: INLINE_LIMIT });
    const over = await encodeOutput(`${atLimit}y`, { store, keyPrefix: `${PREFIX}-b`, inlineLimit: INLINE_LIMIT });
    expect(over).toMatchObject({ valueType: 'json', inline: null, size: INLINE_LIMIT + 1 });
  });

  it('stores big JSON by reference, measured in UTF-8 bytes, and parses it back', async () => {
    const value = { rows: Array.from({ length: 500 }, (_, i) => ({ i, name: `näme-${i}` })) };
    const json = JSON.stringify(value);
    const encoded = await encode(value);

    expect(encoded.valueType).toBe('json');
    expect(encoded.inline).toBeNull();
    expect(encoded.ref).toMatchObject({ kind: 'payload-ref', contentType: 'application/json' });
    expect(encoded.ref?.uri).toBe(store.uriFor(`${PREFIX}/output.json`));
    expect(encoded.ref?.size).toBe(Buffer.byteLength(json));
    expect(encoded.ref?.size).toBeGreaterThan(json.length); // the ä counts twice
    expect(encoded.size).toBe(Buffer.byteLength(json));
    expect(encoded.dataVersion).toBe(sha256Hex(json));
    expect(await decodeOutput(encoded, store)).toEqual(value);
  });

  it('never inlines JSON containing \\u0000, which PostgreSQL jsonb rejects', async () => {
    const encoded = await encode({ s: 'a\u0000b' });
    expect(encoded.inline).toBeNull();
    expect(await decodeOutput(encoded, store)).toEqual({ s: 'a\u0000b' });
  });

  it('stores a Buffer by reference, however small, and decodes an equal Buffer', async () => {
    const value = Buffer.from([0, 1, 2, 250, 255]);
    const encoded = await encode(value);

    expect(encoded).toMatchObject({ valueType: 'buffer', inline: null, size: 5, dataVersion: sha256Hex(value) });
    expect(encoded.ref).toMatchObject({ contentType: 'application/octet-stream', size: 5, sha256: sha256Hex(value) });
    expect(encoded.ref?.uri).toBe(store.uriFor(`${PREFIX}/output.bin`));
    const decoded = await decodeOutput(encoded, store);
    expect(Buffer.isBuffer(decoded)).toBe(true);
    expect((decoded as Buffer).equals(value)).toBe(true);
  });

  it('stores a plain Uint8Array view as its own bytes only', async () => {
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
    const encoded = await encode(backing.subarray(2, 5));
    expect(encoded.size).toBe(3);
    expect([...((await decodeOutput(encoded, store)) as Buffer)]).toEqual([1, 2, 3]);
  });

  it('streams a Readable or async generator output and decodes it as a Readable with the same bytes', async () => {
    const chunks = [Buffer.from('line 1\n'), Buffer.from('line 2\n')];
    const encoded = await encode(Readable.from(chunks));
    const bytes = Buffer.concat(chunks);

    expect(encoded).toMatchObject({
      valueType: 'stream',
      inline: null,
      size: bytes.length,
      dataVersion: sha256Hex(bytes),
    });
    const decoded = await decodeOutput(encoded, store);
    expect(decoded).toBeInstanceOf(Readable);
    expect((await readAll(decoded as Readable)).equals(bytes)).toBe(true);

    async function* lines(): AsyncGenerator<string> {
      yield 'a,b\n';
      yield '1,2\n';
    }
    const generated = await encodeOutput(lines(), { store, keyPrefix: `${PREFIX}-gen`, inlineLimit: INLINE_LIMIT });
    expect(generated.valueType).toBe('stream');
    expect((await readAll((await decodeOutput(generated, store)) as Readable)).toString()).toBe('a,b\n1,2\n');
  });

  it('passes a PayloadRef through as-is', async () => {
    const ref = await writeAssetFile(store, PREFIX, 'orders.csv', 'id,total\n1,9.5\n');
    const encoded = await encode(ref);

    expect(encoded).toEqual({ valueType: 'ref', inline: null, ref, size: ref.size, dataVersion: ref.sha256 });
    expect(await decodeOutput(encoded, store)).toBe(ref);
  });

  it('rejects a malformed PayloadRef', async () => {
    const bad = { kind: 'payload-ref', uri: 'file:///x', size: -1, sha256: 'abc', contentType: 'text/csv' };
    await expect(encode(bad)).rejects.toThrow(
      /malformed PayloadRef \(file:\/\/\/x\): its size must be a non-negative integer/,
    );
  });

  it('encodes undefined as no output', async () => {
    const encoded = await encode(undefined);
    expect(encoded).toEqual({ valueType: 'none', inline: null, ref: null, size: 0, dataVersion: EMPTY_SHA256 });
    expect(EMPTY_SHA256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await decodeOutput(encoded, store)).toBeUndefined();
  });

  it.each([
    ['a function', () => 1, '$ is a function'],
    ['a nested function', { a: { fn: () => 1 } }, '$.a.fn is a function'],
    ['a symbol in an array', [1, Symbol('s')], '$[1] is a symbol'],
    ['a BigInt', { id: 10n }, '$.id is a BigInt'],
    ['a Map', { 'by key': new Map([[1, 2]]) }, '$["by key"] is a Map'],
    ['a Set', { tags: new Set(['a']) }, '$.tags is a Set'],
  ])('rejects %s with an error naming where it is', async (_name, value, message) => {
    const attempt = encode(value);
    await expect(attempt).rejects.toBeInstanceOf(PayloadSerializationError);
    await expect(attempt).rejects.toThrow(message);
    expect(await objectKeys()).toEqual([]);
  });

  it('rejects circular structures naming the cycle', async () => {
    const order: Record<string, unknown> = { id: 1, lines: [{ sku: 'x' }] };
    (order.lines as Record<string, unknown>[])[0]!.order = order;
    await expect(encode(order)).rejects.toThrow('$.lines[0].order is a circular reference back to $');
  });

  it('accepts shared (non-circular) references', async () => {
    const shared = { n: 1 };
    expect((await encode({ a: shared, b: shared })).inline).toEqual({ a: { n: 1 }, b: { n: 1 } });
  });

  it('validates the key prefix and the inline limit', async () => {
    await expect(encodeOutput(Buffer.from('x'), { store, keyPrefix: '../up', inlineLimit: 10 })).rejects.toBeInstanceOf(
      InvalidObjectKeyError,
    );
    await expect(encodeOutput(1, { store, keyPrefix: PREFIX, inlineLimit: -1 })).rejects.toThrow(/inlineLimit/);
  });

  it('never overwrites a previous output at the same prefix', async () => {
    await encode(Buffer.from('first'));
    await expect(encode(Buffer.from('second'))).rejects.toBeInstanceOf(ObjectExistsError);
  });

  it('fails decoding bytes that no longer match their reference', async () => {
    const encoded = await encode(Buffer.from('original'));
    const file = fileURLToPath((encoded.ref as PayloadRef).uri);
    await rm(file);
    await writeFile(file, 'tampered');

    await expect(decodeOutput(encoded, store)).rejects.toBeInstanceOf(PayloadIntegrityError);
    await expect(decodeOutput(encoded, store)).rejects.toThrow(/is corrupt: expected sha256/);
    const stream = (await decodeOutput({ ...encoded, valueType: 'stream' }, store)) as Readable;
    await expect(readAll(stream)).rejects.toBeInstanceOf(PayloadIntegrityError);
  });

  it('names the missing object and unknown value types when decoding', async () => {
    const ref = {
      kind: 'payload-ref',
      uri: store.uriFor('runs/gone/output.bin'),
      size: 1,
      sha256: 'a'.repeat(64),
      contentType: 'x',
    } as const;
    await expect(decodeOutput({ valueType: 'buffer', inline: null, ref }, store)).rejects.toThrow(ref.uri);
    await expect(decodeOutput({ valueType: 'stream', inline: null, ref: null }, store)).rejects.toThrow(
      /"stream" has no payload reference/,
    );
    await expect(decodeOutput({ valueType: 'xml' as never, inline: null, ref: null }, store)).rejects.toThrow(
      /unknown value type "xml"/,
    );
  });
});

describe('writeAssetFile', () => {
  it('writes under the attempt prefix with a content type guessed from the name', async () => {
    const csv = await writeAssetFile(store, PREFIX, 'exports/orders.csv', Readable.from(['id\n', '1\n']));
    const blob = await writeAssetFile(store, PREFIX, 'model.weights', Buffer.from([1]));
    const typed = await writeAssetFile(store, PREFIX, 'report', '{}', 'application/json');

    expect(csv).toMatchObject({ contentType: 'text/csv', size: 5, sha256: sha256Hex('id\n1\n') });
    expect(csv.uri).toBe(store.uriFor(`${PREFIX}/files/exports/orders.csv`));
    expect(blob.contentType).toBe('application/octet-stream');
    expect(typed.contentType).toBe('application/json');
    expect((await readAll(await store.open(csv))).toString()).toBe('id\n1\n');
  });

  it('rejects names that would escape the attempt folder', async () => {
    await expect(writeAssetFile(store, PREFIX, '../../other/output.json', 'x')).rejects.toThrow(
      /Invalid object key "..\/..\/other\/output.json": must not contain ".." segments/,
    );
    await expect(writeAssetFile(store, PREFIX, '/etc/passwd', 'x')).rejects.toBeInstanceOf(InvalidObjectKeyError);
  });

  it('keeps asset files apart from the output itself', async () => {
    await writeAssetFile(store, PREFIX, 'output.json', '[]');
    await expect(encode('x'.repeat(INLINE_LIMIT))).resolves.toMatchObject({ valueType: 'json', inline: null });
    expect(await objectKeys()).toEqual([`${PREFIX}/files/output.json`, `${PREFIX}/output.json`]);
  });
});
