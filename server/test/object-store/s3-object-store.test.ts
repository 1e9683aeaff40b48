import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { inspect, promisify } from 'node:util';
import {
  createObjectStore as createS3ObjectStore,
  S3ObjectStore,
  type S3ObjectStoreOptions,
} from '@weir/object-store-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, type S3rverProcess } from './s3rver-process.js';

// What the conformance suite cannot say about every store: the S3 store's settings, its
// secrets hygiene, and that the AWS SDK stays unloaded unless an s3:// store is configured.

const BUCKET = 'weir-s3-specifics';
const SERVER_DIR = fileURLToPath(new URL('../..', import.meta.url));

let server: S3rverProcess;

beforeAll(async () => {
  server = await startS3rver(BUCKET);
});

afterAll(async () => {
  await server?.stop();
});

describe('S3ObjectStore', () => {
  it('keeps the secret key out of every error, even with its cause chain printed', async () => {
    const secret = `weir-secret-${randomBytes(8).toString('hex')}`;
    // s3rver does not verify v4 signatures, only that it knows the access key id: an unknown id
    // makes every request fail, with the secret still in the client.
    const store = await createS3ObjectStore(`s3://${BUCKET}/secrets`, {
      env: { ...server.env, AWS_ACCESS_KEY_ID: 'AKIAWEIRUNKNOWN', AWS_SECRET_ACCESS_KEY: secret },
    });
    try {
      const failures = await Promise.allSettled([
        store.put('runs/r/output.bin', 'x', { contentType: 'text/plain' }),
        store.exists('runs/r/output.bin'),
        store.open(store.uriFor('runs/r/output.bin')),
      ]);
      for (const failure of failures) {
        expect(failure.status).toBe('rejected');
        const reason = (failure as PromiseRejectedResult).reason as Error;
        expect(reason.message).toContain(`s3://${BUCKET}/secrets/runs/r/output.bin`);
        expect(inspect(reason, { depth: 20 })).not.toContain(secret);
      }
    } finally {
      store.destroy();
    }
  });

  it('rejects malformed URLs and settings, naming the culprit without echoing credentials', async () => {
    const create = (url: string, env: Record<string, string> = server.env) => createS3ObjectStore(url, { env });

    await expect(create('s3://key:hunter2@bucket/p')).rejects.toThrow(/credentials do not belong in the URL/);
    await expect(create('s3://key:hunter2@bucket/p')).rejects.not.toThrow(/hunter2/);
    await expect(create('s3://Bad_Bucket/p')).rejects.toThrow(/"Bad_Bucket" is not a valid bucket name/);
    await expect(create('s3://bucket/a/../b')).rejects.toThrow(/the prefix object key "a\/..\/b"/);
    await expect(create('s3://bucket:9000/p')).rejects.toThrow(/WEIR_S3_ENDPOINT/);
    await expect(create('s3://bucket', { ...server.env, WEIR_S3_FORCE_PATH_STYLE: 'maybe' })).rejects.toThrow(
      'WEIR_S3_FORCE_PATH_STYLE must be true or false, got "maybe"',
    );
    await expect(
      create('s3://bucket', { ...server.env, WEIR_S3_ENDPOINT: 'http://key:hunter2@127.0.0.1:1' }),
    ).rejects.toThrow(/WEIR_S3_ENDPOINT="http:\/\/\*\*\*@127.0.0.1:1\/" must not hold credentials/);
    await expect(create('s3://bucket', { AWS_ACCESS_KEY_ID: 'AKIA' })).rejects.toThrow(
      'AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not',
    );
  });

  it('uses the bucket root when the URL has no prefix', async () => {
    const store = await createS3ObjectStore(`s3://${BUCKET}`, { env: server.env });
    try {
      const ref = await store.put('root-level/output.txt', 'at the root', { contentType: 'text/plain' });
      expect(ref.uri).toBe(`s3://${BUCKET}/root-level/output.txt`);
      expect(await store.exists('root-level/output.txt')).toBe(true);
    } finally {
      store.destroy();
    }
  });

  it('reports a missing bucket as a failed upload naming the key', async () => {
    const store = await createS3ObjectStore('s3://no-such-bucket/p', { env: server.env });
    try {
      await expect(store.put('runs/output.txt', 'x', { contentType: 'text/plain' })).rejects.toMatchObject({
        name: 'PayloadUploadError',
        message: expect.stringContaining('key "runs/output.txt"'),
      });
      await expect(store.open(store.uriFor('runs/output.txt'))).rejects.toMatchObject({
        name: 'ObjectNotFoundError',
        message: expect.stringContaining('bucket "no-such-bucket" does not exist'),
      });
    } finally {
      store.destroy();
    }
  });
});

describe('S3ObjectStore against servers s3rver cannot imitate', () => {
  /** An error as the SDK throws it for an HTTP status. */
  const sdkError = (name: string, status: number) =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

  /** A store whose uploads all fail with `uploadError`; records each upload's params. */
  function storeWhoseUploadsFail(uploadError: Error): { store: S3ObjectStore; uploads: Record<string, unknown>[] } {
    const uploads: Record<string, unknown>[] = [];
    class FailingUpload {
      uploadId = 'upload-1';
      readonly #params: Record<string, unknown>;
      constructor(options: { params: Record<string, unknown> }) {
        this.#params = options.params;
      }
      async done(): Promise<never> {
        uploads.push(this.#params);
        throw uploadError;
      }
    }
    class Command {
      constructor(readonly input: unknown) {}
    }
    const client = {
      // HEAD finds nothing; the abort of the failed upload succeeds.
      send: async (command: unknown) => {
        if (command instanceof Command && command.constructor.name === 'HeadObjectCommand') {
          throw sdkError('NotFound', 404);
        }
        return {};
      },
    };
    const sdk = {
      S3Client: class {},
      HeadObjectCommand: class HeadObjectCommand extends Command {},
      GetObjectCommand: class GetObjectCommand extends Command {},
      AbortMultipartUploadCommand: class AbortMultipartUploadCommand extends Command {},
      Upload: FailingUpload,
    } as unknown as S3ObjectStoreOptions['sdk'];
    const store = new S3ObjectStore({
      client: client as unknown as S3ObjectStoreOptions['client'],
      sdk,
      location: { bucket: 'lake', prefix: 'p/' },
    });
    return { store, uploads };
  }

  it('turns a lost conditional write (412) into ObjectExistsError', async () => {
    const { store, uploads } = storeWhoseUploadsFail(sdkError('PreconditionFailed', 412));
    await expect(store.put('runs/a/output.bin', 'x', { contentType: 'text/plain' })).rejects.toMatchObject({
      name: 'ObjectExistsError',
      uri: 's3://lake/p/runs/a/output.bin',
    });
    expect(uploads[0]).toMatchObject({ Bucket: 'lake', Key: 'p/runs/a/output.bin', IfNoneMatch: '*' });
  });

  it('stops sending If-None-Match once the server says it does not implement it (501)', async () => {
    const { store, uploads } = storeWhoseUploadsFail(sdkError('NotImplemented', 501));
    await expect(store.put('runs/a/output.bin', 'x', { contentType: 'text/plain' })).rejects.toThrow(
      /key "runs\/a\/output.bin".*does not implement conditional writes/,
    );
    await expect(store.put('runs/b/output.bin', 'x', { contentType: 'text/plain' })).rejects.toMatchObject({
      name: 'PayloadUploadError',
    });
    expect(uploads.map((params) => params.IfNoneMatch)).toEqual(['*', undefined]);
  });
});

describe('lazy loading', () => {
  it('loads the AWS SDK only once an s3:// store is created', async () => {
    // A fresh process, so that modules loaded by other tests do not count. The SDK is CommonJS,
    // so whatever of it is loaded shows in require.cache (checked by the last step).
    const script = `
      import { createRequire } from 'node:module';
      import { tmpdir } from 'node:os';
      const require = createRequire(import.meta.url);
      const sdkModules = () => Object.keys(require.cache).filter((p) => p.includes('@aws-sdk')).length;
      const counts = {};
      const weir = await import('weir');
      counts.weir = sdkModules();
      const plugin = await import('@weir/object-store-s3');
      counts.plugin = sdkModules();
      await plugin.createObjectStore('s3://some-bucket/p', { env: { WEIR_S3_ENDPOINT: 'http://127.0.0.1:9' } });
      counts.created = sdkModules();
      console.log(JSON.stringify(counts));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: SERVER_DIR,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    const counts = JSON.parse(stdout) as { weir: number; plugin: number; created: number };
    expect(counts.weir).toBe(0);
    expect(counts.plugin).toBe(0);
    expect(counts.created).toBeGreaterThan(0);
  });
});
