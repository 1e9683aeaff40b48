import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createObjectStore as createS3ObjectStore, DEFAULT_QUEUE_SIZE } from '@weir/object-store-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The compiled `weir` package, as the plugin (and a deployed Weir) sees it.
import * as weir from 'weir/plugin';
import { createObjectStore } from '../../src/io/object-store.factory.js';
import type { ObjectStore } from '../../src/io/object-store.port.js';
import { describeObjectStoreConformance } from '../support/object-store-conformance.js';
import { startS3rver, type S3rverProcess } from './s3rver-process.js';

// Needs `npm run build` (the test command runs it): '@weir/object-store-s3' resolves to its dist.

const BUCKET = 'weir-conformance';
const MIB = 1024 * 1024;
// S3's smallest part, so that the 50 MiB memory test can tell a few buffered parts from a
// buffered payload. The default 8 MiB parts are used below (through Weir's factory) and measured
// at 1 GiB by bench/payload-s3-memory.bench.ts.
const CONFORMANCE_PART_SIZE = 5 * MIB;

describeObjectStoreConformance('S3ObjectStore on s3rver', async () => {
  const server = await startS3rver(BUCKET);
  try {
    const store = await createS3ObjectStore(`s3://${BUCKET}/weir/objects`, {
      env: server.env,
      partSize: CONFORMANCE_PART_SIZE,
    });
    return {
      store,
      expectedUri: (key) => `s3://${BUCKET}/weir/objects/${key}`,
      // lib-storage holds up to `queueSize` parts in flight plus the one it is filling.
      bufferedBytes: (DEFAULT_QUEUE_SIZE + 1) * CONFORMANCE_PART_SIZE,
      async close() {
        store.destroy();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
});

describe("Weir's createObjectStore with an s3:// URL", () => {
  let server: S3rverProcess;
  const saved = new Map<string, string | undefined>();
  const stores: ObjectStore[] = [];

  beforeAll(async () => {
    server = await startS3rver(BUCKET);
    // Weir hands the plugin only the URL: everything else comes from the environment.
    for (const [name, value] of Object.entries(server.env)) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
  });

  afterAll(async () => {
    for (const store of stores) (store as { destroy?: () => void }).destroy?.();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await server?.stop();
  });

  async function open(url: string): Promise<ObjectStore> {
    const store = await createObjectStore(url, '/nonexistent/default-root');
    stores.push(store);
    return store;
  }

  it('loads @weir/object-store-s3 and returns a working S3 store', async () => {
    const writer = await open(`s3://${BUCKET}/factory/prefix`);
    expect(writer.scheme).toBe('s3');
    const key = 'runs/r1/s1/a1/output.json';
    const ref = await writer.put(key, '{"rows":3}', { contentType: 'application/json' });
    expect(ref).toMatchObject({
      uri: `s3://${BUCKET}/factory/prefix/${key}`,
      size: 10,
      contentType: 'application/json',
    });

    // Another store on the same URL (another worker) reads what the first one wrote.
    const reader = await open(`s3://${BUCKET}/factory/prefix/`);
    expect(await reader.exists(key)).toBe(true);
    expect(await text(await reader.open(ref.uri))).toBe('{"rows":3}');
  });

  it('streams a multipart payload with the default part size', async () => {
    const store = await open(`s3://${BUCKET}/factory/large`);
    const chunks = Array.from({ length: 20 }, (_, i) => Buffer.alloc(MIB, i + 7));
    const expected = createHash('sha256');
    for (const chunk of chunks) expected.update(chunk);

    const ref = await store.put('runs/r1/s1/a1/output.bin', Readable.from(chunks), {
      contentType: 'application/octet-stream',
    });
    expect(ref).toMatchObject({ size: 20 * MIB, sha256: expected.digest('hex') });
    const actual = createHash('sha256');
    for await (const chunk of await store.open(ref)) actual.update(chunk as Buffer);
    expect(actual.digest('hex')).toBe(ref.sha256);
  });

  it("throws the error classes of Weir's object-store port", async () => {
    const store = await open(`s3://${BUCKET}/factory/errors`);
    const key = 'runs/r1/s1/a1/output.bin';
    await store.put(key, 'once', { contentType: 'text/plain' });

    await expect(store.put(key, 'twice', { contentType: 'text/plain' })).rejects.toBeInstanceOf(weir.ObjectExistsError);
    await expect(store.open(store.uriFor('runs/missing'))).rejects.toBeInstanceOf(weir.ObjectNotFoundError);
    const failing = (async function* () {
      yield Buffer.from('partial');
      throw new Error('upstream went away');
    })();
    await expect(store.put('runs/r2/output.bin', failing, { contentType: 'text/plain' })).rejects.toBeInstanceOf(
      weir.PayloadUploadError,
    );
  });

  it('refuses to open objects outside its bucket and prefix', async () => {
    const store = await open(`s3://${BUCKET}/factory/one`);
    await expect(store.open(`s3://${BUCKET}/factory/two/runs/x`)).rejects.toThrow(
      `only reads objects under s3://${BUCKET}/factory/one/`,
    );
    await expect(store.open('s3://another-bucket/factory/one/runs/x')).rejects.toThrow(/only reads objects under/);
    await expect(store.open(`s3://${BUCKET}/factory/one/../two/x`)).rejects.toMatchObject({
      name: 'InvalidObjectKeyError',
    });
  });
});

async function text(stream: Readable): Promise<string> {
  let result = '';
  for await (const chunk of stream) result += (chunk as Buffer).toString('utf8');
  return result;
}
