import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunView } from '../../src/runs/run-queries.js';
import { createPostgresDatabase, dropPostgresDatabase, STORAGE_BACKENDS } from '../support/databases.js';
import { waitFor } from '../support/engine-harness.js';
import { runAttempts } from '../support/run-attempts.js';
import { apiFetch, killHard, spawnWeir, waitForApi, type WeirProcess } from '../support/weir-process.js';

const PROJECT = fileURLToPath(new URL('../fixtures/isolation-project/index.ts', import.meta.url));
const BUSY_SECONDS = 10;
const CANCEL_GRACE_SECONDS = 2;

// Each misbehaving asset runs in a real `weir dev`: the process must stay up and answering, and
// each attempt must fail with what it died of.
describe.each(STORAGE_BACKENDS)('isolated steps in weir dev (%s)', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-isolation-'));
  const dataDir = join(dir, '.weir');
  let databaseUrl: string | undefined;
  let dev: WeirProcess;
  let api: string;

  beforeAll(async () => {
    databaseUrl = backend === 'postgres' ? await createPostgresDatabase() : undefined;
    dev = spawnWeir(['dev', '--port', '0', '--no-watch'], {
      WEIR_PROJECT: PROJECT,
      WEIR_DATA_DIR: dataDir,
      WEIR_CONCURRENCY: '2',
      WEIR_HEARTBEAT_INTERVAL: '1s',
      WEIR_CANCEL_GRACE: `${CANCEL_GRACE_SECONDS}s`,
      WEIR_TEST_BUSY_SECONDS: String(BUSY_SECONDS),
      ...(databaseUrl ? { WEIR_DATABASE_URL: databaseUrl } : {}),
    });
    api = await waitForApi(dataDir, dev);
  }, 90_000);

  afterAll(async () => {
    if (dev && dev.child.exitCode === null) await killHard(dev);
    if (databaseUrl) await dropPostgresDatabase(databaseUrl);
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (path: string, body?: unknown): Promise<RunView> => {
    const response = await apiFetch(api, path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as RunView;
  };
  const run = async (id: string) => (await (await apiFetch(api, `/api/runs/${id}`)).json()) as RunView;
  const ended = (id: string, timeoutMs = 60_000) =>
    waitFor(
      async () => {
        const view = await run(id);
        return ['succeeded', 'failed', 'canceled'].includes(view.status) ? view : undefined;
      },
      `run ${id} to end`,
      timeoutMs,
    );
  const materialize = async (selection: string) => ended((await post('/api/runs', { selection })).id);
  const stillServing = async () => {
    expect(dev.child.exitCode).toBeNull();
    expect((await fetch(`${api}/healthz`)).status).toBe(200);
  };

  it('keeps answering /healthz and writing heartbeats while a step busy-loops', async () => {
    const started = await post('/api/runs', { selection: 'iso/busy' });
    await waitFor(async () => (await run(started.id)).steps[0]!.status === 'running', 'the busy step to start');
    let answered = 0;
    let unanswered = 0;
    const heartbeats = new Set<string>();
    while ((await run(started.id)).steps[0]!.status === 'running') {
      const health = await fetch(`${api}/healthz`, { signal: AbortSignal.timeout(3_000) }).catch(() => undefined);
      if (health?.ok) answered++;
      else unanswered++;
      const [attempt] = await runAttempts(api, started.id);
      if (attempt?.status === 'RUNNING' && attempt.heartbeatAt) heartbeats.add(attempt.heartbeatAt);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    console.log(`/healthz answered ${answered} times during the ${BUSY_SECONDS}s busy step (${unanswered} not)`);
    expect(unanswered).toBe(0);
    expect(answered).toBeGreaterThanOrEqual(10);
    // The attempt's heartbeat moved on while the step ran, beyond the one written when it started.
    expect(heartbeats.size).toBeGreaterThanOrEqual(2);
    expect((await ended(started.id)).status).toBe('succeeded');
  }, 90_000);

  it('fails an attempt that never ends at its timeout, retries it, and runs the next run', async () => {
    const view = await materialize('iso/hangs');
    expect(view.status).toBe('failed');
    const attempts = await runAttempts(api, view.id);
    expect(attempts.map((attempt) => attempt.errorKind)).toEqual(['timeout', 'timeout']);
    expect(attempts[0]!.errorMessage).toContain('timed out: it ran longer than its timeout of 2.0s');
    await stillServing();
    expect((await materialize('iso/fine')).status).toBe('succeeded');
  }, 90_000);

  it('fails only the attempt that goes over its memory limit; a second asset of the run succeeds', async () => {
    const view = await materialize('iso/hog, iso/fine');
    const byKey = Object.fromEntries(view.steps.map((step) => [step.assetKey, step.status]));
    expect(byKey).toEqual({ 'iso/hog': 'failed', 'iso/fine': 'succeeded' });
    const [hog] = (await runAttempts(api, view.id)).filter((attempt) => attempt.assetKey === 'iso/hog');
    expect(hog!.errorKind).toBe('out_of_memory');
    expect(hog!.errorMessage).toContain('ran out of memory: it went over its heap limit of 128 MiB');
    await stillServing();
  }, 90_000);

  it('records process.exit() and a throw from a timer as crashes of their attempt only', async () => {
    for (const [key, cause] of [
      ['iso/exits', 'exited with code 3'],
      ['iso/throws-later', 'thrown from a timer'],
    ] as const) {
      const view = await materialize(key);
      expect(view.status).toBe('failed');
      const [attempt] = await runAttempts(api, view.id);
      expect(attempt!.errorKind).toBe('crashed');
      expect(attempt!.errorMessage).toContain(cause);
      await stillServing();
    }
    // Inputs, checkpoints and metadata still cross the boundary after the crashes.
    const chained = await materialize('+iso/downstream');
    expect(chained.status).toBe('succeeded');
    expect(chained.steps.find((step) => step.assetKey === 'iso/downstream')!.output!.metadata).toEqual({
      upstreamOk: true,
    });
  }, 90_000);

  it('terminates a step that ignores ctx.signal once a cancel has given it the grace period', async () => {
    const started = await post('/api/runs', { selection: 'iso/stubborn' });
    await waitFor(async () => (await run(started.id)).steps[0]!.status === 'running', 'the stubborn step to start');
    await post(`/api/runs/${started.id}/cancel`);
    // The step busy-loops for 60 s: only terminating its isolate ends the run this soon.
    const view = await ended(started.id, 30_000);
    expect(view.status).toBe('canceled');
    const [attempt] = await runAttempts(api, started.id);
    expect(attempt!.errorKind).toBe('canceled');
    expect(attempt!.errorMessage).toContain(`did not stop within ${CANCEL_GRACE_SECONDS}.0s of its signal aborting`);
    await stillServing();
    expect((await materialize('iso/fine')).status).toBe('succeeded');
  }, 90_000);
});
