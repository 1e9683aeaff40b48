/**
 * The behaviour every {@link ObjectStore} must have (DESIGN §4: keys are never overwritten, a
 * payload that fails to upload gets a clear error and leaves nothing behind, memory does not
 * grow with a payload's size), run against each backend like BullMQ runs one suite per backend.
 *
 * Errors are recognized by `name`, not `instanceof`: a plugin store throws the classes of the
 * `weir` package it imports (the compiled ones), while these tests load Weir's sources.
 */
import { hashWhileSampling, MemoryProbe, MIB, sampledPayload } from './memory-probe.js';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore, StoredObject } from '../../src/io/object-store.port.js';
import type { PayloadRef } from '../../src/sdk/payload-ref.js';

/** What `open` hands the suite. */
export interface ObjectStoreFixture {
  readonly store: ObjectStore;
  /** Releases the store and whatever it runs on (temp dirs, servers). */
  close(): Promise<void>;
  /** The exact URI the store must give `key`; when absent only the URI's general form is checked. */
  readonly expectedUri?: (key: string) => string;
  /**
   * The most payload bytes the store may legitimately hold while moving one (e.g. S3 multipart
   * buffers: `(queueSize + 1) × partSize`); default 0. Added to the memory test's allowance.
   */
  readonly bufferedBytes?: number;
}

/** Size of the payload moved by the memory test. */
const MEMORY_PAYLOAD_MIB = 50;
/** Allowance for the runtime's own noise on top of the store's declared buffers. */
const MEMORY_SLACK = 16 * MIB;

/** Keys the stores must refuse: each escapes the store's root or differs between backends. */
const INVALID_KEYS = ['', '/absolute', 'a//b', 'a/./b', 'a/../b', '../escape', 'trailing/', 'back\\slash', 'nul\u0000'];

/**
 * Declares the conformance tests for one store. `open` runs once before the tests; every test
 * writes under its own fresh keys, so the tests share the store without interfering.
 */
export function describeObjectStoreConformance(name: string, open: () => Promise<ObjectStoreFixture>): void {
  describe(`${name}: object-store conformance`, () => {
    let fixture: ObjectStoreFixture | undefined;
    let store: ObjectStore;
    const run = randomBytes(4).toString('hex');
    let next = 0;
    /** A key no other test (or earlier run on a reused store) has written. */
    const freshKey = (file = 'output.bin'): string => `conformance/${run}/${++next}/${file}`;

    beforeAll(async () => {
      fixture = await open();
      store = fixture.store;
    });

    afterAll(async () => {
      await fixture?.close();
    });

    it('round-trips bytes, reporting size, sha256 and content type computed while streaming', async () => {
      const key = freshKey('report.txt');
      const body = Buffer.from('hello, weir\n'.repeat(1000));
      const ref = await store.put(key, Readable.from([body.subarray(0, 5000), body.subarray(5000)]), {
        contentType: 'text/plain',
      });

      expect(ref).toEqual({
        kind: 'payload-ref',
        uri: store.uriFor(key),
        size: body.length,
        sha256: sha256(body),
        contentType: 'text/plain',
      });
      expect((await readAll(await store.open(ref))).equals(body)).toBe(true);
      expect((await readAll(await store.open(ref.uri))).equals(body)).toBe(true);
    });

    it('round-trips a 20 MiB stream (several parts of an S3 multipart upload)', async () => {
      const key = freshKey();
      const chunks = Array.from({ length: 20 }, (_, i) => Buffer.alloc(MIB, i + 1));
      const hash = createHash('sha256');
      for (const chunk of chunks) hash.update(chunk);

      const ref = await store.put(key, Readable.from(chunks), { contentType: 'application/octet-stream' });
      expect(ref).toMatchObject({ size: 20 * MIB, sha256: hash.digest('hex') });
      expect(sha256(await readAll(await store.open(ref)))).toBe(ref.sha256);
    });

    it('accepts Buffers, strings, async generators of strings and bytes, and empty bodies', async () => {
      const text = await store.put(freshKey('a.txt'), 'héllo', { contentType: 'text/plain; charset=utf-8' });
      const bytes = await store.put(freshKey('b.bin'), Buffer.from([1, 2, 3]), {
        contentType: 'application/octet-stream',
      });
      async function* generated(): AsyncGenerator<Uint8Array | string> {
        yield 'ab';
        yield new Uint8Array([99]);
      }
      const streamed = await store.put(freshKey('c.txt'), generated() as AsyncIterable<Uint8Array>, {
        contentType: 'text/plain',
      });
      const empty = await store.put(freshKey('d.bin'), Readable.from([]), { contentType: 'application/octet-stream' });

      expect(text).toMatchObject({ size: 6, sha256: sha256('héllo'), contentType: 'text/plain; charset=utf-8' });
      expect((await readAll(await store.open(text))).toString('utf8')).toBe('héllo');
      expect([...(await readAll(await store.open(bytes)))]).toEqual([1, 2, 3]);
      expect((await readAll(await store.open(streamed))).toString()).toBe('abc');
      expect(streamed.sha256).toBe(sha256('abc'));
      expect(empty).toMatchObject({ size: 0, sha256: sha256('') });
      expect((await readAll(await store.open(empty))).length).toBe(0);
    });

    it('never overwrites: a second put rejects with ObjectExistsError, destroys its body and keeps the first', async () => {
      const key = freshKey();
      const first = await store.put(key, 'first', { contentType: 'text/plain' });
      const secondBody = Readable.from([Buffer.from('second')]);
      const second = store.put(key, secondBody, { contentType: 'text/plain' });

      const error = await rejection(second);
      expect(error).toMatchObject({ name: 'ObjectExistsError', key, uri: first.uri });
      expect(error.message).toContain(first.uri);
      expect(secondBody.destroyed).toBe(true);
      expect((await readAll(await store.open(first))).toString()).toBe('first');
    });

    it('lets exactly one of several concurrent puts to the same key win', async () => {
      const key = freshKey();
      const bodies = Array.from({ length: 6 }, (_, i) => Buffer.alloc(256 * 1024, i + 1));
      const results = await Promise.allSettled(
        bodies.map((body) =>
          store.put(key, Readable.from([body.subarray(0, 1000), body.subarray(1000)]), {
            contentType: 'application/octet-stream',
          }),
        ),
      );

      const winners = results.filter((r): r is PromiseFulfilledResult<PayloadRef> => r.status === 'fulfilled');
      const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(winners).toHaveLength(1);
      for (const loser of losers) expect(loser.reason).toMatchObject({ name: 'ObjectExistsError', key });

      const stored = await readAll(await store.open(store.uriFor(key)));
      expect(sha256(stored)).toBe(winners[0]!.value.sha256);
      expect(bodies.some((body) => body.equals(stored))).toBe(true);
    });

    for (const [label, goodChunks, chunkSize] of [
      ['early (a small body)', 4, 64 * 1024],
      ['after 20 MiB (a multipart upload on S3)', 20, MIB],
    ] as const) {
      it(`rejects with PayloadUploadError naming the key when the body fails ${label}, leaving nothing visible`, async () => {
        const key = freshKey();
        const body = failingBody(goodChunks, chunkSize);

        const error = await rejection(store.put(key, body, { contentType: 'application/octet-stream' }));
        expect(error).toMatchObject({ name: 'PayloadUploadError', key, uri: store.uriFor(key) });
        expect(error.message).toContain(`key "${key}"`);
        expect(error.message).toContain('source connection reset');
        expect(error.cause).toMatchObject({ message: 'source connection reset' });
        expect(body.destroyed).toBe(true);
        expect(await store.exists(key)).toBe(false);
        expect(await rejection(store.open(store.uriFor(key)))).toMatchObject({ name: 'ObjectNotFoundError' });
        // The key is still free: the next attempt can write it.
        await expect(store.put(key, 'retry', { contentType: 'text/plain' })).resolves.toMatchObject({ size: 5 });
      });
    }

    it('rejects a body that yields something other than bytes, leaving nothing visible', async () => {
      const key = freshKey();
      const error = await rejection(
        store.put(key, Readable.from([Buffer.from('ok'), { not: 'bytes' }]), {
          contentType: 'application/octet-stream',
        }),
      );
      expect(error).toMatchObject({ name: 'PayloadUploadError', key });
      expect(error.message).toMatch(/yielded an object; it must yield Buffers/);
      expect(await store.exists(key)).toBe(false);
    });

    it('rejects a put without a content type and destroys its body', async () => {
      const body = Readable.from([Buffer.from('x')]);
      const put = store.put(freshKey(), body, {} as { contentType: string });
      await expect(put).rejects.toThrow(/needs a contentType/);
      expect(body.destroyed).toBe(true);
    });

    it('rejects opening a missing object with ObjectNotFoundError naming the URI', async () => {
      const uri = store.uriFor(freshKey('missing.json'));
      const error = await rejection(store.open(uri));
      expect(error).toMatchObject({ name: 'ObjectNotFoundError', uri });
      expect(error.message).toContain(uri);
    });

    it('says whether an object exists at a key; a prefix of a key is not an object', async () => {
      const key = freshKey('nested/deeper/object.json');
      expect(await store.exists(key)).toBe(false);
      await store.put(key, '{}', { contentType: 'application/json' });
      expect(await store.exists(key)).toBe(true);
      expect(await store.exists(key.slice(0, key.indexOf('/nested/') + '/nested'.length))).toBe(false);
      expect(await store.exists(`${key}.other`)).toBe(false);
    });

    it('gives every key a stable URI of its own scheme, the one put reports', async () => {
      const key = freshKey('uri/check.bin');
      const uri = store.uriFor(key);
      expect(uri.startsWith(`${store.scheme}://`)).toBe(true);
      expect(uri.endsWith(`/${key}`)).toBe(true);
      expect(store.uriFor(key)).toBe(uri);
      expect(store.uriFor(`${key}2`)).not.toBe(uri);
      if (fixture?.expectedUri) expect(uri).toBe(fixture.expectedUri(key));
      expect((await store.put(key, 'x', { contentType: 'text/plain' })).uri).toBe(uri);
    });

    it('rejects keys with invalid segments in put, exists and uriFor, destroying the body', async () => {
      for (const key of INVALID_KEYS) {
        const body = Readable.from([Buffer.from('x')]);
        const error = await rejection(store.put(key, body, { contentType: 'text/plain' }));
        expect(error, `put(${JSON.stringify(key)})`).toMatchObject({ name: 'InvalidObjectKeyError' });
        expect(body.destroyed, `put(${JSON.stringify(key)}) destroys its body`).toBe(true);
        expect(await rejection(store.exists(key))).toMatchObject({ name: 'InvalidObjectKeyError' });
        expect(() => store.uriFor(key)).toThrow(expect.objectContaining({ name: 'InvalidObjectKeyError' }));
      }
    });

    it(`moves a ${MEMORY_PAYLOAD_MIB} MiB stream in and out without holding it in memory`, async () => {
      const allowance = MEMORY_SLACK + (fixture?.bufferedBytes ?? 0);
      // An allowance near the payload's size would let a store that buffers everything pass.
      expect(allowance).toBeLessThan((MEMORY_PAYLOAD_MIB * MIB * 4) / 5);
      const probe = new MemoryProbe();
      const payload = sampledPayload(MEMORY_PAYLOAD_MIB, probe);

      const ref = await store.put(freshKey(), payload.stream, { contentType: 'application/octet-stream' });
      expect(ref.size).toBe(MEMORY_PAYLOAD_MIB * MIB);
      expect(ref.sha256).toBe(payload.sha256());
      expect(await hashWhileSampling(await store.open(ref), probe)).toEqual({
        sha256: ref.sha256,
        bytes: MEMORY_PAYLOAD_MIB * MIB,
      });

      expect(probe.samples).toBeGreaterThanOrEqual(8);
      expect(probe.maxGrowth, `retained memory grew by ${Math.round(probe.maxGrowth / MIB)} MiB`).toBeLessThan(
        allowance,
      );
    });

    it('lists the objects under a prefix with their size and write time, and nothing else', async () => {
      const base = `conformance/${run}/list-${++next}`;
      const before = Date.now();
      await store.put(`${base}/a/output.bin`, Buffer.alloc(1234, 1), { contentType: 'application/octet-stream' });
      await store.put(`${base}/a/files/deep/part.csv`, 'x,y\n', { contentType: 'text/csv' });
      await store.put(`${base}/b/output.json`, '{}', { contentType: 'application/json' });
      // Shares the string prefix `${base}/a` but not the folder `${base}/a/`.
      await store.put(`${base}/ab/output.bin`, 'z', { contentType: 'text/plain' });
      const list = requireListing(store);

      const underA = await collect(list(`${base}/a/`));
      expect(underA.map((o) => o.key).sort()).toEqual([`${base}/a/files/deep/part.csv`, `${base}/a/output.bin`]);
      const output = underA.find((o) => o.key.endsWith('output.bin'))!;
      expect(output.size).toBe(1234);
      expect(output.lastModified).toBeInstanceOf(Date);
      // Second-granular on S3: allow for the truncation.
      expect(output.lastModified.getTime()).toBeGreaterThanOrEqual(before - 2000);
      expect(output.lastModified.getTime()).toBeLessThanOrEqual(Date.now() + 2000);
      expect((await collect(list(`${base}/a`))).map((o) => o.key).sort()).toEqual([
        `${base}/a/files/deep/part.csv`,
        `${base}/a/output.bin`,
        `${base}/ab/output.bin`,
      ]);
      expect(await collect(list(`${base}/b/`))).toMatchObject([{ key: `${base}/b/output.json`, size: 2 }]);
      expect(await collect(list(`${base}/missing/`))).toEqual([]);
      // The whole store's listing includes these and never an upload in progress.
      const all = (await collect(list(''))).map((o) => o.key);
      expect(all).toEqual(expect.arrayContaining([`${base}/a/output.bin`, `${base}/b/output.json`]));
      expect(all.some((key) => key.startsWith('.tmp'))).toBe(false);
    });

    it('pages through more objects than one listing request returns', async () => {
      const base = `conformance/${run}/many-${++next}`;
      const keys = Array.from({ length: 1100 }, (_, i) => `${base}/${String(i).padStart(4, '0')}.txt`);
      for (let i = 0; i < keys.length; i += 50) {
        await Promise.all(keys.slice(i, i + 50).map((key) => store.put(key, 'x', { contentType: 'text/plain' })));
      }
      const listed = await collect(requireListing(store)(`${base}/`));
      expect(listed.map((o) => o.key).sort()).toEqual(keys);
    });

    it('deletes an object (and deleting it again succeeds); its neighbours stay', async () => {
      const base = `conformance/${run}/delete-${++next}`;
      const doomed = await store.put(`${base}/x/output.bin`, 'bye', { contentType: 'text/plain' });
      const kept = await store.put(`${base}/y/output.bin`, 'stay', { contentType: 'text/plain' });
      expect(store.delete).toBeTypeOf('function');

      await store.delete!(`${base}/x/output.bin`);
      expect(await store.exists(`${base}/x/output.bin`)).toBe(false);
      expect(await rejection(store.open(doomed))).toMatchObject({ name: 'ObjectNotFoundError' });
      await store.delete!(`${base}/x/output.bin`);
      expect((await readAll(await store.open(kept))).toString()).toBe('stay');
      expect((await collect(requireListing(store)(`${base}/`))).map((o) => o.key)).toEqual([`${base}/y/output.bin`]);
      // A key freed by a delete can be written again (gc never races a live attempt's keys).
      await store.put(`${base}/x/output.bin`, 'again', { contentType: 'text/plain' });
      expect(await store.exists(`${base}/x/output.bin`)).toBe(true);
      await expect(store.delete!('../escape')).rejects.toMatchObject({ name: 'InvalidObjectKeyError' });
    });
  });
}

function requireListing(store: ObjectStore): (prefix: string) => AsyncIterable<StoredObject> {
  expect(store.list, 'the store implements list()').toBeTypeOf('function');
  return (prefix) => store.list!(prefix);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** Awaits a promise that must reject, and returns its error. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A body that yields `goodChunks` chunks and then fails, like a source connection dropping. */
function failingBody(goodChunks: number, chunkSize: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent < goodChunks) {
        sent += 1;
        this.push(Buffer.alloc(chunkSize, sent));
      } else {
        this.destroy(new Error('source connection reset'));
      }
    },
  });
}
