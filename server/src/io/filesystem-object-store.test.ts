import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilesystemObjectStore } from './filesystem-object-store.js';
import { sha256Hex } from './hashing-stream.js';
import { InvalidObjectKeyError } from './object-key.js';
import { ObjectExistsError, ObjectNotFoundError, PayloadUploadError } from './object-store.port.js';

const KEY = 'runs/r1/s1/a1/output.bin';

let root: string;
let store: FilesystemObjectStore;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'weir-fs-store-'));
  store = new FilesystemObjectStore(root);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Entries of `<root>/.tmp`, i.e. uploads in progress or left behind. */
async function tempFiles(): Promise<string[]> {
  return readdir(path.join(root, '.tmp')).catch(() => []);
}

/** A body that yields `goodChunks` chunks and then fails, like a source connection dropping. */
function failingBody(goodChunks: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent < goodChunks) {
        sent += 1;
        this.push(Buffer.alloc(64 * 1024, sent));
      } else {
        this.destroy(new Error('source connection reset'));
      }
    },
  });
}

describe('FilesystemObjectStore', () => {
  it('round-trips bytes and reports size and sha256 computed while streaming', async () => {
    const body = Buffer.from('hello, weir\n'.repeat(1000));
    const ref = await store.put(KEY, Readable.from([body.subarray(0, 5000), body.subarray(5000)]), {
      contentType: 'text/plain',
    });

    expect(ref).toEqual({
      kind: 'payload-ref',
      uri: pathToFileURL(path.join(root, 'runs/r1/s1/a1/output.bin')).href,
      size: body.length,
      sha256: sha256Hex(body),
      contentType: 'text/plain',
    });
    expect(ref.uri).toMatch(/^file:\/\/\//);
    expect(store.uriFor(KEY)).toBe(ref.uri);
    expect(await store.exists(KEY)).toBe(true);
    expect(await store.exists('runs/r1/s1/a1/other')).toBe(false);
    expect(await store.exists('runs/r1')).toBe(false); // a folder is not an object

    const read = await readAll(await store.open(ref));
    expect(createHash('sha256').update(read).digest('hex')).toBe(ref.sha256);
    expect(read.equals(body)).toBe(true);
    expect((await readAll(await store.open(ref.uri))).equals(body)).toBe(true);
    expect(await tempFiles()).toEqual([]);
  });

  it('accepts strings, Buffers and async generators of strings and bytes', async () => {
    const a = await store.put('a.txt', 'héllo', { contentType: 'text/plain' });
    const b = await store.put('b.bin', Buffer.from([1, 2, 3]), { contentType: 'application/octet-stream' });
    async function* gen(): AsyncGenerator<Uint8Array | string> {
      yield 'ab';
      yield new Uint8Array([99]);
    }
    const c = await store.put('c.txt', gen() as AsyncIterable<Uint8Array>, { contentType: 'text/plain' });

    expect(a.size).toBe(6);
    expect((await readAll(await store.open(a))).toString()).toBe('héllo');
    expect([...(await readAll(await store.open(b)))]).toEqual([1, 2, 3]);
    expect((await readAll(await store.open(c))).toString()).toBe('abc');
  });

  it('never overwrites: a second put to the same key rejects and the first content stays intact', async () => {
    const first = await store.put(KEY, 'first', { contentType: 'text/plain' });
    const second = store.put(KEY, Readable.from([Buffer.from('second')]), { contentType: 'text/plain' });

    await expect(second).rejects.toBeInstanceOf(ObjectExistsError);
    await expect(second).rejects.toThrow(first.uri);
    expect((await readAll(await store.open(first))).toString()).toBe('first');
    expect(await tempFiles()).toEqual([]);
  });

  it('lets exactly one of many concurrent writers to the same key win', async () => {
    const bodies = Array.from({ length: 8 }, (_, i) => Buffer.alloc(256 * 1024, i));
    const results = await Promise.allSettled(
      bodies.map((body) =>
        store.put(KEY, Readable.from([body.subarray(0, 1000), body.subarray(1000)]), {
          contentType: 'application/octet-stream',
        }),
      ),
    );

    const winners = results.filter((r) => r.status === 'fulfilled');
    const losers = results.filter((r) => r.status === 'rejected');
    expect(winners).toHaveLength(1);
    for (const loser of losers) expect(loser.reason).toBeInstanceOf(ObjectExistsError);

    const stored = await readFile(path.join(root, KEY));
    const winner = (winners[0] as PromiseFulfilledResult<{ sha256: string }>).value;
    expect(sha256Hex(stored)).toBe(winner.sha256);
    expect(bodies.some((body) => body.equals(stored))).toBe(true);
    expect(await tempFiles()).toEqual([]);
  });

  it('rejects with PayloadUploadError naming the key when the body fails mid-way, leaving nothing behind', async () => {
    const upload = store.put(KEY, failingBody(20), { contentType: 'application/octet-stream' });

    await expect(upload).rejects.toBeInstanceOf(PayloadUploadError);
    await expect(upload).rejects.toThrow(`key "${KEY}"`);
    await expect(upload).rejects.toThrow('source connection reset');
    await expect(upload).rejects.toHaveProperty('cause.message', 'source connection reset');
    expect(await store.exists(KEY)).toBe(false);
    expect(await tempFiles()).toEqual([]);
    // The key is still free: a retry can write it.
    await expect(store.put(KEY, 'retry', { contentType: 'text/plain' })).resolves.toMatchObject({ size: 5 });
  });

  it('rejects a body that yields something other than bytes', async () => {
    const upload = store.put(KEY, Readable.from([{ not: 'bytes' }]), { contentType: 'application/octet-stream' });
    await expect(upload).rejects.toBeInstanceOf(PayloadUploadError);
    await expect(upload).rejects.toThrow(/yielded an object; it must yield Buffers/);
    expect(await store.exists(KEY)).toBe(false);
    expect(await tempFiles()).toEqual([]);
  });

  it('names the uri when opening a missing object', async () => {
    const uri = store.uriFor('runs/r1/missing.json');
    await expect(store.open(uri)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store.open(uri)).rejects.toThrow(`Object ${uri} does not exist`);
    await expect(
      store.open({ kind: 'payload-ref', uri, size: 1, sha256: '0'.repeat(64), contentType: 'application/json' }),
    ).rejects.toThrow(uri);
  });

  it('refuses to open URIs outside its root, of other schemes, or of uploads in progress', async () => {
    const outside = path.join(path.dirname(root), 'elsewhere.txt');
    await expect(store.open(pathToFileURL(outside).href)).rejects.toThrow(/outside this object store's root/);
    await expect(store.open('s3://bucket/runs/x')).rejects.toThrow(/s3:\/\/bucket\/runs\/x.*only reads file:\/\/\//);
    await expect(store.open(pathToFileURL(path.join(root, '.tmp', 'x.part')).href)).rejects.toThrow(/reserved/);
  });

  it('validates keys with a clear error, without consuming or leaking the body', async () => {
    for (const key of ['../escape', '/abs/key', 'runs//x', '.tmp/sneaky']) {
      const body = Readable.from([Buffer.from('x')]);
      await expect(store.put(key, body, { contentType: 'text/plain' })).rejects.toBeInstanceOf(InvalidObjectKeyError);
      expect(body.destroyed).toBe(true);
    }
    expect(() => store.uriFor('a/../b')).toThrow(/Invalid object key "a\/..\/b"/);
    await expect(store.exists('../x')).rejects.toBeInstanceOf(InvalidObjectKeyError);
  });
});
