import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/data-source.factory.js';
import { DistributedCluster } from '../support/distributed-cluster.js';
import { waitFor } from '../support/engine-harness.js';
import { killHard, type WeirProcess } from '../support/weir-process.js';

const PROJECT = fileURLToPath(new URL('../fixtures/cron-project/index.ts', import.meta.url));
const TICK_MS = 2000;

describe('scheduler failover between two weir servers', () => {
  const cluster = new DistributedCluster(PROJECT, { WEIR_HEARTBEAT_INTERVAL: '300ms', WEIR_LOST_AFTER: '2s' });
  afterAll(() => cluster.close());

  it('one server leads; when it is killed the other takes over, and every cron tick yields exactly one run', async () => {
    await cluster.start();
    const first = cluster.processes[0]!;
    const second = (await cluster.startServer()).process;
    await cluster.startWorker(2);
    const database = await openDatabase({ kind: 'postgres', url: cluster.databaseUrl });
    try {
      const scheduledRuns = async () =>
        (await database.dataSource.query(
          `SELECT trigger_detail->>'tick' AS tick, status FROM runs WHERE trigger = 'schedule' ORDER BY created_at`,
        )) as Array<{ tick: string; status: string }>;
      await waitFor(async () => (await scheduledRuns()).length >= 2, 'two scheduled runs', 30_000);

      const leaders = [first, second].filter((server) => server.output().includes('leading:'));
      expect(leaders).toHaveLength(1);
      const leader = leaders[0]!;
      const follower: WeirProcess = leader === first ? second : first;
      // Kill the leader just before a tick, so that tick falls while no server leads (the
      // follower only tries for the lease every 300 ms): it must still run, once.
      while (Date.now() % TICK_MS < TICK_MS - 150) await new Promise((resolve) => setTimeout(resolve, 10));
      const beforeKill = (await scheduledRuns()).length;
      await killHard(leader);

      await waitFor(async () => follower.output().includes('leading:'), 'the other server to take over', 30_000);
      await waitFor(async () => (await scheduledRuns()).length >= beforeKill + 3, 'three more scheduled runs', 30_000);
      await cluster.killAll();

      const runs = await scheduledRuns();
      const ticks = runs.map((run) => Date.parse(run.tick)).sort((a, b) => a - b);
      // Exactly one run per tick: no tick twice, and none skipped across the switch.
      expect(new Set(ticks).size).toBe(ticks.length);
      for (let i = 1; i < ticks.length; i++) expect(ticks[i]! - ticks[i - 1]!).toBe(TICK_MS);
      const [{ keys }] = await database.dataSource.query(
        `SELECT count(DISTINCT idempotency_key) AS keys FROM runs WHERE trigger = 'schedule'`,
      );
      expect(Number(keys)).toBe(runs.length);
    } finally {
      await database.close();
    }
  }, 120_000);
});
