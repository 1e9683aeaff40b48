import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createObjectStore as createS3ObjectStore } from '@weir/object-store-s3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHttpServer, type HttpServer } from '../../src/api/http-server.js';
import { AuthService } from '../../src/auth/auth-service.js';
import { WeirEngine } from '../../src/engine/weir-engine.js';
import { BullMqExecutor } from '../../src/execution/bullmq-executor.js';
import type { Executor } from '../../src/execution/executor.port.js';
import { InProcessExecutor } from '../../src/execution/in-process-executor.js';
import { AssetGraph } from '../../src/graph/asset-graph.js';
import { FilesystemObjectStore } from '../../src/io/filesystem-object-store.js';
import type { ObjectStore } from '../../src/io/object-store.port.js';
import { openDatabase, type OpenedDatabase } from '../../src/storage/data-source.factory.js';
import { createPostgresDatabase, dropPostgresDatabase, openTestDatabase } from '../support/databases.js';
import { waitFor } from '../support/engine-harness.js';
import { TEST_PG_URL } from '../support/env.js';
import { freePort, RedisProcess } from '../support/redis-process.js';
import { startS3rver } from '../object-store/s3rver-process.js';
import { parsePrometheusText } from './prometheus-text.js';

interface ReadyzBody {
  status: string;
  failing: string[];
  checks: Record<string, { ok: boolean; probed: boolean; error?: string }>;
}

/** An API over an engine built from these parts (the engine dispatches only; nothing runs here). */
interface Api {
  readyz(): Promise<{ status: number; body: ReadyzBody }>;
  metrics(): Promise<string>;
}

describe('/readyz against dependencies that go away', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startApi(parts: { database?: OpenedDatabase; executor?: Executor; objectStore?: ObjectStore }) {
    // PostgreSQL: a fresh database opens much faster than PGlite loads its WASM.
    const database = parts.database ?? (await openTestDatabase('postgres'));
    if (!parts.database) cleanups.push(() => database.close());
    let objectStore = parts.objectStore;
    if (!objectStore) {
      const dir = await mkdtemp(join(tmpdir(), 'weir-readyz-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      objectStore = new FilesystemObjectStore(dir);
    }
    const engine = new WeirEngine({
      dataSource: database.dataSource,
      objectStore,
      executor: parts.executor ?? new InProcessExecutor(1),
      graph: AssetGraph.build([]),
      inlineLimit: 64 * 1024,
      retryDefaults: { maxAttempts: 1 },
    });
    await engine.start({ consume: false, recover: 'none' });
    cleanups.push(() => engine.stop());
    const auth = new AuthService(database.dataSource);
    const { token } = await auth.createToken({ name: 'scraper', role: 'viewer' });
    const server: HttpServer = await startHttpServer(
      engine,
      { mode: 'distributed', role: 'server', project: 'readyz-test', database: 'postgres' },
      { port: 0, host: '127.0.0.1', auth },
    );
    cleanups.push(() => server.close());
    const base = `http://127.0.0.1:${server.port}`;
    const api: Api = {
      async readyz() {
        // Anonymous probes get only the status; the details (which check fails, why) need a token.
        const anonymous = await fetch(`${base}/readyz`);
        const response = await fetch(`${base}/readyz`, { headers: { authorization: `Bearer ${token}` } });
        const body = (await response.json()) as ReadyzBody;
        expect(anonymous.status).toBe(response.status);
        expect(await anonymous.json()).toEqual({ status: body.status });
        return { status: response.status, body };
      },
      async metrics() {
        const response = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status).toBe(200);
        return response.text();
      },
    };
    return api;
  }

  it('names the queue while Redis is down, keeps /metrics answering, and recovers', async () => {
    const redis = new RedisProcess(await freePort());
    await redis.start();
    cleanups.push(() => redis.stop());
    const executor = new BullMqExecutor({
      backend: { kind: 'redis', url: redis.url },
      queueName: `weir-test-${randomUUID()}`,
    });
    const api = await startApi({ executor });

    expect(await api.readyz()).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { queue: { ok: true } } },
    });
    expect(parsePrometheusText(await api.metrics()).find('weir_executor_jobs')).toHaveLength(3);

    await redis.stop();
    const down = await api.readyz();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'not ready', failing: ['queue'] });
    expect(down.body.checks.queue!.error).toContain(`the redis queue at ${redis.url}`);
    // A scrape still answers while the queue is down, without the queue's own numbers.
    const metrics = parsePrometheusText(await api.metrics());
    expect(metrics.value('weir_up')).toBe(1);
    expect(metrics.find('weir_executor_jobs')).toEqual([]);

    await redis.start();
    await waitFor(async () => (await api.readyz()).status === 200, 'readiness once Redis is back');
  });

  it('pings the BullMQ queue on its PostgreSQL backend too', async () => {
    const executor = new BullMqExecutor({
      backend: { kind: 'postgres', url: TEST_PG_URL },
      queueName: `weir-test-${randomUUID()}`,
    });
    cleanups.push(() => executor.stop());
    await executor.ping();
    expect(await executor.jobCounts()).toEqual({ waiting: 0, delayed: 0, active: 0 });
  });

  it('probes an S3 store: ready against a live server, names the object store when its port is closed', async () => {
    const s3 = await startS3rver('weir-readyz');
    cleanups.push(() => s3.stop());
    const live = await createS3ObjectStore('s3://weir-readyz/weir', { env: s3.env });
    cleanups.push(async () => live.destroy());
    expect(await (await startApi({ objectStore: live })).readyz()).toMatchObject({
      status: 200,
      body: { checks: { objectStore: { ok: true, probed: true } } },
    });

    const secret = `weir-secret-${randomBytes(8).toString('hex')}`;
    const closed = await createS3ObjectStore('s3://weir-readyz/weir', {
      env: { ...s3.env, WEIR_S3_ENDPOINT: `http://127.0.0.1:${await freePort()}`, AWS_SECRET_ACCESS_KEY: secret },
    });
    cleanups.push(async () => closed.destroy());
    const down = await (await startApi({ objectStore: closed })).readyz();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'not ready', failing: ['objectStore'] });
    expect(down.body.checks.objectStore!.error).toBeTruthy();
    expect(JSON.stringify(down.body)).not.toContain(secret);
  });

  it('names the database in the log once the metadata database is gone (no caller can be authenticated then)', async () => {
    const url = await createPostgresDatabase();
    cleanups.push(() => dropPostgresDatabase(url));
    const database = await openDatabase({ kind: 'postgres', url }, { poolSize: 2 });
    cleanups.push(() => database.close().catch(() => {}));
    const api = await startApi({ database });
    expect((await api.readyz()).status).toBe(200);

    const warnings = vi.spyOn(console, 'warn');
    cleanups.push(async () => warnings.mockRestore());
    await dropPostgresDatabase(url);
    const down = await api.readyz();
    expect(down.status).toBe(503);
    // Verifying the token needs the database: even the token's holder gets only the status.
    expect(down.body).toEqual({ status: 'not ready' });
    const logged = warnings.mock.calls.map((call) => String(call[0])).filter((line) => line.includes('not ready'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^weir: not ready: database \(.+\)$/);
    await api.readyz();
    expect(warnings.mock.calls.filter((call) => String(call[0]).includes('not ready'))).toHaveLength(1);
    // The URL's password never shows, whatever the driver's message says.
    expect(logged[0]).not.toContain(new URL(url).password || '\0');
  });
});
