import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/data-source.factory.js';
import { DistributedCluster } from '../support/distributed-cluster.js';

const PROJECT = fileURLToPath(new URL('../fixtures/pool-project/index.ts', import.meta.url));

/** The largest number of intervals open at one instant. */
function maxOverlap(intervals: Array<{ start: number; end: number }>): number {
  const edges = intervals.flatMap(({ start, end }) => [
    { at: start, delta: 1 },
    { at: end, delta: -1 },
  ]);
  // Ends sort before starts at the same instant: touching intervals do not overlap.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let open = 0;
  let max = 0;
  for (const edge of edges) max = Math.max(max, (open += edge.delta));
  return max;
}

describe('a concurrency pool', () => {
  const cluster = new DistributedCluster(PROJECT, { WEIR_POOLS: 'warehouse=2' });
  afterAll(() => cluster.close());

  it('holds its limit across 3 worker processes while other steps use the free slots', async () => {
    await cluster.start();
    await Promise.all([cluster.startWorker(4), cluster.startWorker(4), cluster.startWorker(4)]);
    const run = await cluster.requestRun('*');
    const final = await cluster.waitForRun(run.id);
    expect(final.status).toBe('succeeded');

    const database = await openDatabase({ kind: 'postgres', url: cluster.databaseUrl });
    try {
      const rows: Array<{ asset_key: string; worker_id: string; started_at: Date; ended_at: Date }> =
        await database.dataSource.query(
          `SELECT s.asset_key, a.worker_id, a.started_at, a.ended_at FROM attempts a JOIN steps s ON s.id = a.step_id
          WHERE a.status = 'succeeded' AND s.run_id = $1`,
          [run.id],
        );
      const interval = (row: (typeof rows)[number]) => ({
        start: row.started_at.getTime(),
        end: row.ended_at.getTime(),
      });
      const pooled = rows.filter((row) => row.asset_key.startsWith('warehouse/'));
      const free = rows.filter((row) => row.asset_key.startsWith('free/'));
      expect(pooled).toHaveLength(12);
      const pooledMax = maxOverlap(pooled.map(interval));
      // Recorded for the report: the limit was reached, never exceeded.
      console.log(
        `max concurrent warehouse steps: ${pooledMax} (limit 2); workers used: ${new Set(pooled.map((r) => r.worker_id)).size}`,
      );
      expect(pooledMax).toBe(2);
      expect(new Set(pooled.map((row) => row.worker_id)).size).toBeGreaterThan(1);
      // Steps outside the pool were not held back by it.
      expect(maxOverlap(free.map(interval))).toBeGreaterThan(2);
    } finally {
      await database.close();
    }
  }, 180_000);
});
