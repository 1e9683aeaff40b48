import { rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer, type HttpServer } from '../../src/api/http-server.js';
import { AuthService } from '../../src/auth/auth-service.js';
import type { ManualClock } from '../../src/runs/clock.js';
import { asset } from '../../src/sdk/asset.js';
import { eager } from '../../src/sdk/automation.js';
import { maxLag } from '../../src/sdk/freshness.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startAutomation, type AutomationHarness } from '../support/automation-harness.js';
import { waitFor } from '../support/engine-harness.js';
import { parsePrometheusText, type ParsedMetrics } from './prometheus-text.js';

// The manual clock moves only inside `materialize`, so step durations are exact and each lands
// in a known bucket; nothing here measures wall-clock time.
let clock: ManualClock;
const orders = asset({
  key: 'raw/orders',
  freshness: maxLag('2h'),
  materialize: () => (clock.advance(3_000), [1, 2, 3]),
});
const summary = asset({
  key: 'gold/summary',
  deps: { orders },
  automation: eager(),
  freshness: maxLag('1h', { warn: '30m' }),
  materialize: (_ctx, { orders: rows }) => (clock.advance(200), rows.length),
});
const never = asset({ key: 'raw/never', freshness: maxLag('1h'), materialize: () => 0 });
const boom = asset({
  key: 'raw/boom',
  materialize: () => {
    clock.advance(20_000);
    throw new Error('boom');
  },
});
const flaky = asset({
  key: 'raw/flaky',
  retry: { maxAttempts: 3, backoff: 'fixed', delay: '6h', maxDelay: '6h', jitter: 'none' },
  materialize: () => {
    throw new Error('not yet');
  },
});

describe.each(STORAGE_BACKENDS)('/metrics and /readyz (%s)', (backend) => {
  let h: AutomationHarness;
  let server: HttpServer;
  let viewer: Record<string, string>;
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
  const scrape = async (): Promise<ParsedMetrics> => {
    const response = await fetch(url('/metrics'), { headers: viewer });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(await response.text());
  };
  const count = async (sql: string): Promise<number> => Number((await h.database.dataSource.query(sql))[0].n);

  beforeAll(async () => {
    h = await startAutomation(backend, [orders, summary, never, boom, flaky], { manualClock: true });
    clock = h.clock!;
    const auth = new AuthService(h.database.dataSource);
    viewer = { authorization: `Bearer ${(await auth.createToken({ name: 'scraper', role: 'viewer' })).token}` };
    server = await startHttpServer(
      h.engine,
      { mode: 'embedded', role: 'embedded', project: 'observability-test', database: backend },
      { port: 0, host: '127.0.0.1', auth, automation: h.automation },
    );

    // raw/orders succeeds and automation runs gold/summary; raw/boom fails; raw/flaky waits for a retry.
    // One step at a time: each moves the shared clock, which must not happen during another step.
    await h.engine.waitForRun((await h.engine.requestRun({ selection: 'raw/orders', trigger: 'manual' })).id);
    await h.settle();
    await h.engine.waitForRun((await h.engine.requestRun({ selection: 'raw/boom', trigger: 'manual' })).id);
    await h.settle();
    await h.engine.requestRun({ selection: 'raw/flaky', trigger: 'manual' });
    await waitFor(
      async () => (await count(`SELECT count(*) AS n FROM steps WHERE status = 'retry_scheduled'`)) === 1,
      'the retry',
    );
    // gold/summary is now past its warning time but not late; raw/orders (2h) is still fresh.
    clock.advance(45 * 60_000);
  });

  afterAll(async () => {
    await server?.close();
    await h?.close();
  });

  it('counts runs by status as the database does', async () => {
    const metrics = await scrape();
    expect(metrics.types.get('weir_runs')).toBe('gauge');
    const rows: Array<{ status: string; n: string | number }> = await h.database.dataSource.query(
      `SELECT status, count(*) AS n FROM runs GROUP BY status`,
    );
    for (const row of rows) expect(metrics.value('weir_runs', { status: row.status })).toBe(Number(row.n));
    expect(Object.fromEntries(metrics.find('weir_runs').map((s) => [s.labels.status, s.value]))).toEqual({
      queued: 0,
      running: 1,
      canceling: 0,
      succeeded: 2,
      failed: 1,
      canceled: 0,
    });
  });

  it('reports step durations as a histogram with cumulative buckets', async () => {
    const metrics = await scrape();
    expect(metrics.types.get('weir_step_duration_seconds')).toBe('histogram');
    const succeeded = histogram(metrics, 'weir_step_duration_seconds', { status: 'succeeded' });
    const failed = histogram(metrics, 'weir_step_duration_seconds', { status: 'failed' });
    // Steps that ended: raw/orders (3 s) and gold/summary (0.2 s) succeeded, raw/boom (20 s) failed.
    expect(succeeded.count).toBe(await count(`SELECT count(*) AS n FROM steps WHERE status = 'succeeded'`));
    expect(failed.count).toBe(await count(`SELECT count(*) AS n FROM steps WHERE status = 'failed'`));
    expect(succeeded).toMatchObject({ count: 2, sum: 3.2 });
    expect([succeeded.bucket('0.1'), succeeded.bucket('0.25'), succeeded.bucket('2.5'), succeeded.bucket('5')]).toEqual(
      [0, 1, 1, 2],
    );
    expect(failed).toMatchObject({ count: 1, sum: 20 });
    expect([failed.bucket('10'), failed.bucket('30')]).toEqual([0, 1]);
    expect(histogram(metrics, 'weir_step_duration_seconds', { status: 'canceled' }).count).toBe(0);
  });

  it('reports the queue depth from the database and from the executor', async () => {
    const metrics = await scrape();
    expect(metrics.value('weir_queue_depth', { state: 'retry_scheduled' })).toBe(1);
    expect(metrics.value('weir_queue_depth', { state: 'queued' })).toBe(
      await count(`SELECT count(*) AS n FROM steps WHERE status = 'queued'`),
    );
    // The in-process executor holds nothing: the retry waits in the database, not in the executor.
    expect(metrics.find('weir_executor_jobs').map((s) => [s.labels.state, s.value])).toEqual([
      ['waiting', 0],
      ['delayed', 0],
      ['active', 0],
    ]);
  });

  it('counts assets by freshness status as the freshness report does', async () => {
    const metrics = await scrape();
    const report = await h.engine.freshness();
    for (const status of ['fresh', 'warning', 'late'] as const) {
      expect(metrics.value('weir_freshness_assets', { status })).toBe(report.filter((v) => v.status === status).length);
    }
    expect(report.map((v) => [v.assetKey, v.status]).sort()).toEqual([
      ['gold/summary', 'warning'],
      ['raw/never', 'late'],
      ['raw/orders', 'fresh'],
    ]);
  });

  it('measures trigger latency for the run automation created', async () => {
    const metrics = await scrape();
    expect(metrics.types.get('weir_trigger_latency_seconds')).toBe('histogram');
    const upstream = histogram(metrics, 'weir_trigger_latency_seconds', { trigger: 'upstream' });
    expect(upstream.count).toBe(await count(`SELECT count(*) AS n FROM runs WHERE trigger = 'upstream'`));
    expect(upstream.count).toBe(1);
    expect(upstream.sum).toBeGreaterThanOrEqual(0);
    expect(histogram(metrics, 'weir_trigger_latency_seconds', { trigger: 'schedule' }).count).toBe(0);
  });

  it('describes the process, with HELP and TYPE for every family', async () => {
    const metrics = await scrape();
    expect(metrics.value('weir_up')).toBe(1);
    expect(metrics.value('weir_info', { mode: 'embedded', role: 'embedded', database: backend })).toBe(1);
    expect(metrics.value('weir_assets')).toBe(5);
    for (const name of metrics.types.keys()) expect(metrics.help.get(name)).toBeTruthy();
    // prom-client's default process metrics come with Weir's.
    expect(metrics.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(metrics.value('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(metrics.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });

  it('requires a token for /metrics but not for /readyz', async () => {
    expect((await fetch(url('/metrics'))).status).toBe(401);
    expect((await fetch(url('/readyz'))).status).toBe(200);
  });

  it('is ready when database, executor and object store answer, and names the object store when it breaks', async () => {
    // The checks are shown to authenticated callers only; anonymous probes get the status.
    expect(await (await fetch(url('/readyz'))).json()).toEqual({ status: 'ready' });
    const ready = await fetch(url('/readyz'), { headers: viewer });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      failing: [],
      checks: {
        database: { ok: true, probed: true },
        queue: { ok: true, probed: true },
        objectStore: { ok: true, probed: true },
      },
    });

    // A file where the store's directory should be: nothing can be written there.
    await rm(h.store.rootDir, { recursive: true, force: true });
    await writeFile(h.store.rootDir, 'not a directory');
    try {
      expect(await (await fetch(url('/readyz'))).json()).toEqual({ status: 'not ready' });
      const broken = await fetch(url('/readyz'), { headers: viewer });
      expect(broken.status).toBe(503);
      const body = (await broken.json()) as { status: string; failing: string[]; checks: Record<string, unknown> };
      expect(body).toMatchObject({ status: 'not ready', failing: ['objectStore'] });
      expect(body.checks.objectStore).toMatchObject({
        ok: false,
        error: expect.stringContaining(`the object store directory ${h.store.rootDir} is not usable`),
      });
    } finally {
      await rm(h.store.rootDir, { force: true });
    }
    expect((await fetch(url('/readyz'))).status).toBe(200);
  });
});

/** A histogram series, after checking that its buckets are cumulative and end at +Inf = _count. */
function histogram(metrics: ParsedMetrics, name: string, labels: Record<string, string>) {
  const buckets = metrics.find(`${name}_bucket`, labels);
  expect(buckets.length).toBeGreaterThan(1);
  expect(buckets.at(-1)!.labels.le).toBe('+Inf');
  const bounds = buckets.slice(0, -1).map((b) => Number(b.labels.le));
  expect(bounds).toEqual([...bounds].sort((x, y) => x - y));
  buckets.forEach((b, i) => i > 0 && expect(b.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value));
  const count = metrics.value(`${name}_count`, labels);
  expect(buckets.at(-1)!.value).toBe(count);
  const byLe = new Map(buckets.map((b) => [b.labels.le!, b.value]));
  return {
    count,
    sum: metrics.value(`${name}_sum`, labels),
    bucket(le: string): number {
      if (!byLe.has(le)) throw new Error(`${name} has no bucket le="${le}"`);
      return byLe.get(le)!;
    },
  };
}
