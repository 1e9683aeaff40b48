import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackfillView } from '../../src/backfills/backfill-store.js';
import { openDatabase } from '../../src/storage/data-source.factory.js';
import { waitFor } from '../support/engine-harness.js';
import { apiFetch, killHard, spawnWeir, waitForApi, type WeirProcess } from '../support/weir-process.js';

const PROJECT = fileURLToPath(new URL('../fixtures/backfill-project/index.ts', import.meta.url));

/**
 * The backfill as `weir dev` reports it, or undefined when the request failed on its connection
 * (a pooled keep-alive connection the server closed as it was reused): the caller polls again.
 */
async function getBackfill(api: string, id: string, dev: WeirProcess): Promise<BackfillView | undefined> {
  let response: Response;
  try {
    response = await apiFetch(api, `/api/backfills/${id}`);
  } catch (error) {
    if (dev.child.exitCode === null && dev.child.signalCode === null) return undefined;
    throw new Error(`GET backfill ${id}: ${(error as Error).message}; weir dev exited:\n${dev.output()}`, {
      cause: error,
    });
  }
  if (!response.ok) throw new Error(`GET backfill ${id}: ${response.status} ${await response.text()}`);
  return (await response.json()) as BackfillView;
}

/** Every day of 2025, in order. */
const YEAR = Array.from({ length: 365 }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10));

// The acceptance test of backfills: a year of daily partitions, `weir dev` SIGKILLed half-way,
// restarted; the backfill resumes and no partition that had succeeded is computed again.
describe('a backfill of 365 daily partitions interrupted by SIGKILL (PGlite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-backfill-'));
  const dataDir = join(dir, '.weir');
  const calls = join(dir, 'calls.log');
  const env = { WEIR_PROJECT: PROJECT, WEIR_DATA_DIR: dataDir, WEIR_TEST_CALLS: calls };
  let dev: WeirProcess | undefined;
  let cli: WeirProcess | undefined;

  afterAll(async () => {
    for (const child of [cli, dev]) if (child && child.child.exitCode === null) await killHard(child);
    rmSync(dir, { recursive: true, force: true });
  });

  async function startDev(): Promise<string> {
    dev = spawnWeir(['dev', '--port', '0', '--no-watch'], env);
    return waitForApi(dataDir, dev);
  }

  /** How often each partition was computed (lines `<partition>#<attempt>` in the calls file). */
  function callCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    if (!existsSync(calls)) return counts;
    for (const line of readFileSync(calls, 'utf8').split('\n')) {
      if (!line) continue;
      const partition = line.slice(0, line.indexOf('#'));
      counts.set(partition, (counts.get(partition) ?? 0) + 1);
    }
    return counts;
  }

  it('resumes after a restart without computing a finished partition again', async () => {
    let api = await startDev();
    cli = spawnWeir(['backfill', 'backfill/days', '--from', '2025-01-01', '--to', '2025-12-31'], env);
    const id = await waitFor(
      async () => /backfill ([0-9a-f-]{36}) · 365 partitions/.exec(cli!.output())?.[1],
      'the CLI to create the backfill',
      60_000,
    );

    // Kill `weir dev` once at least 50 partitions have succeeded (and so, not all of them).
    let before: BackfillView | undefined;
    await waitFor(
      async () => {
        const view = await getBackfill(api, id, dev!);
        if (view) before = view;
        return view !== undefined && view.counts.succeeded >= 50;
      },
      '50 partitions to succeed',
      120_000,
    );
    await killHard(dev!);
    const succeededBefore = before!.partitions.filter((p) => p.status === 'succeeded').map((p) => p.key);
    expect(succeededBefore.length).toBeGreaterThanOrEqual(50);
    expect(succeededBefore.length).toBeLessThan(365);
    expect(before!.maxConcurrentRuns).toBe(4);
    expect(before!.counts.running).toBeLessThanOrEqual(4);

    // The CLI loses its server and says how the backfill goes on.
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain(`backfill ${id} is recorded: it resumes where it stopped`);

    api = await startDev();
    const final = await waitFor(
      async () => {
        const view = await getBackfill(api, id, dev!);
        return !view || view.status === 'queued' || view.status === 'running' ? undefined : view;
      },
      'the resumed backfill to end',
      180_000,
    );
    expect(final.status).toBe('succeeded');
    expect(final.counts).toEqual({ pending: 0, running: 0, succeeded: 365, failed: 0 });
    expect(final.partitions.map((p) => p.key)).toEqual(YEAR);

    const counts = callCounts();
    // No partition is missing, and none that had succeeded before the kill was computed again.
    expect([...counts.keys()].sort()).toEqual(YEAR);
    expect(succeededBefore.filter((key) => counts.get(key) !== 1)).toEqual([]);
    // Only partitions in flight at the kill may have been computed twice (a lost attempt, retried).
    const twice = [...counts].filter(([, n]) => n > 1).map(([key]) => key);
    expect(twice.length).toBeLessThanOrEqual(4);

    dev!.child.kill('SIGTERM');
    expect(await dev!.exited).toBe(0);

    // The database: one run and one materialization per partition.
    const database = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'pglite') });
    try {
      const rows: Array<{ partition_key: string; n: string }> = await database.dataSource.query(
        `SELECT partition_key, count(*) AS n FROM materializations WHERE asset_key = 'backfill/days'
          GROUP BY partition_key ORDER BY partition_key`,
      );
      expect(rows.map((row) => row.partition_key)).toEqual(YEAR);
      expect(rows.filter((row) => Number(row.n) !== 1)).toEqual([]);
      const [runs] = await database.dataSource.query(
        `SELECT count(*) AS n, count(DISTINCT idempotency_key) AS keys FROM runs WHERE trigger = 'backfill'`,
      );
      expect([Number(runs.n), Number(runs.keys)]).toEqual([365, 365]);
    } finally {
      await database.close();
    }
  });
});
