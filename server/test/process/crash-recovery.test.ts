import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunView } from '../../src/runs/run-queries.js';
import type { EventView } from '../../src/storage/event-log.js';
import { openDatabase } from '../../src/storage/data-source.factory.js';
import { createPostgresDatabase, dropPostgresDatabase, STORAGE_BACKENDS } from '../support/databases.js';
import { waitFor } from '../support/engine-harness.js';
import { apiFetch, killHard, runWeir, spawnWeir, waitForApi, type WeirProcess } from '../support/weir-process.js';

const PROJECT = fileURLToPath(new URL('../fixtures/crash-project/index.ts', import.meta.url));

async function getJson<T>(api: string, path: string, init?: RequestInit): Promise<T> {
  const response = await apiFetch(api, path, init);
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe.each(STORAGE_BACKENDS)('a weir process killed with SIGKILL (%s)', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-crash-'));
  const dataDir = join(dir, '.weir');
  const calls = join(dir, 'calls.log');
  const slowStarted = join(dir, 'slow-started');
  let databaseUrl: string | undefined;
  let dev: WeirProcess | undefined;

  afterAll(async () => {
    if (dev && dev.child.exitCode === null) await killHard(dev);
    if (databaseUrl) await dropPostgresDatabase(databaseUrl);
    rmSync(dir, { recursive: true, force: true });
  });

  async function startDev(): Promise<string> {
    databaseUrl ??= backend === 'postgres' ? await createPostgresDatabase() : undefined;
    dev = spawnWeir(['dev', '--port', '0', '--no-watch'], {
      WEIR_PROJECT: PROJECT,
      WEIR_DATA_DIR: dataDir,
      WEIR_TEST_CALLS: calls,
      WEIR_TEST_SLOW_STARTED: slowStarted,
      ...(databaseUrl ? { WEIR_DATABASE_URL: databaseUrl } : {}),
    });
    return waitForApi(dataDir, dev);
  }

  const callsOf = (name: string) =>
    existsSync(calls)
      ? readFileSync(calls, 'utf8')
          .split('\n')
          .filter((line) => line.startsWith(`${name}#`))
      : [];

  it('during a retry backoff and during a running step: every step still ends exactly once', async () => {
    let api = await startDev();
    const run = await getJson<RunView>(api, '/api/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ selection: '*' }),
    });
    const step = async (key: string) =>
      (await getJson<RunView>(api, `/api/runs/${run.id}`)).steps.find((s) => s.assetKey === key)!;

    // 1. Kill while crash/flaky waits 2 s for its retry.
    await waitFor(async () => (await step('crash/flaky')).status === 'retry_scheduled', 'flaky to wait for its retry');
    await killHard(dev!);
    expect(callsOf('flaky')).toEqual(['flaky#1']);

    // 2. Restart: the durable retry still happens; then kill while crash/slow is running.
    api = await startDev();
    await waitFor(async () => existsSync(slowStarted), 'slow to start its first attempt');
    expect(callsOf('flaky')).toEqual(['flaky#1', 'flaky#2']);
    await killHard(dev!);

    // 3. Restart: the lost attempt is recorded and retried; the run completes.
    api = await startDev();
    const final = await waitFor(async () => {
      const view = await getJson<RunView>(api, `/api/runs/${run.id}`);
      return view.status === 'succeeded' || view.status === 'failed' ? view : undefined;
    }, 'the run to end');
    expect(final.status).toBe('succeeded');
    expect(callsOf('flaky')).toEqual(['flaky#1', 'flaky#2']);
    expect(callsOf('slow')).toEqual(['slow#1', 'slow#2']);
    expect(callsOf('final')).toEqual(['final#1']);

    const events = await getJson<EventView[]>(api, `/api/runs/${run.id}/events`);
    const count = (type: string, key: string) => events.filter((e) => e.type === type && e.assetKey === key).length;
    expect(count('step.attempt_failed', 'crash/flaky')).toBe(1);
    expect(count('step.attempt_lost', 'crash/slow')).toBe(1);
    for (const key of ['crash/flaky', 'crash/slow', 'crash/final']) expect(count('step.materialized', key)).toBe(1);

    // `weir logs` works while dev holds the data dir (it talks to the API) and shows the story.
    const logs = await runWeir(['logs', run.id.slice(0, 8)], { WEIR_DATA_DIR: dataDir, WEIR_PROJECT: PROJECT });
    expect(logs.code).toBe(0);
    expect(logs.output).toContain('attempt 1 lost');
    expect(logs.output).toContain('retry 2 scheduled in 2.0s');

    dev!.child.kill('SIGTERM');
    expect(await dev!.exited).toBe(0);

    // The database itself: one materialization per step, attempts as the story says.
    const database = await openDatabase(
      databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'pglite', dataDir: join(dataDir, 'pglite') },
    );
    try {
      const rows: Array<{ asset_key: string; n: string }> = await database.dataSource.query(
        `SELECT asset_key, count(*) AS n FROM materializations GROUP BY asset_key ORDER BY asset_key`,
      );
      expect(rows.map((r) => [r.asset_key, Number(r.n)])).toEqual([
        ['crash/final', 1],
        ['crash/flaky', 1],
        ['crash/slow', 1],
      ]);
      const attempts: Array<{ asset_key: string; number: number; status: string }> = await database.dataSource.query(
        `SELECT s.asset_key, a.number, a.status FROM attempts a JOIN steps s ON s.id = a.step_id ORDER BY s.asset_key, a.number`,
      );
      expect(attempts).toEqual([
        { asset_key: 'crash/final', number: 1, status: 'succeeded' },
        { asset_key: 'crash/flaky', number: 1, status: 'failed' },
        { asset_key: 'crash/flaky', number: 2, status: 'succeeded' },
        { asset_key: 'crash/slow', number: 1, status: 'lost' },
        { asset_key: 'crash/slow', number: 2, status: 'succeeded' },
      ]);
    } finally {
      await database.close();
    }
    // Three cold starts of `weir dev` (database, project, isolates) on a 2-core machine.
  }, 150_000);
});
