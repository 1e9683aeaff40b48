import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetGraph } from '../../src/graph/asset-graph.js';
import { asset, type AnyAsset } from '../../src/sdk/asset.js';
import { dailyPartitions } from '../../src/sdk/partitions.js';
import { table } from '../../src/sdk/table.js';
import { schemaCheck } from '../../src/sdk/table-checks.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { openTestStore, startTableEngine, type TestStore } from './table-harness.js';

/** `customers` with the given columns (and a blocking schema check), read by `report`. */
function graph(columns: string, checked: boolean, calls: string[]): AnyAsset[] {
  const customers = asset({
    key: 'customers',
    checks: checked ? [schemaCheck({ allowAdditions: true })] : [],
    materialize: () => table.fromQuery(`SELECT ${columns} FROM range(5) t(i)`),
  });
  const report = asset({
    key: 'report',
    deps: { customers },
    materialize: async (_ctx, { customers: rows }) => {
      calls.push('report');
      return (await rows.query(`SELECT count(*) AS n FROM ${rows}`))[0]!.n;
    },
  });
  return [customers, report];
}

describe.each(STORAGE_BACKENDS)('table schemas and partitions (%s)', (backend) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('filesystem');
  });
  afterAll(async () => {
    await store?.close();
  });

  it('flags a schema change from the previous materialization; a blocking schema check fails the step and skips downstream', async () => {
    const calls: string[] = [];
    const v1 = 'i AS id, i::VARCHAR AS name, (i * 2.5)::DOUBLE AS amount';
    const h = await startTableEngine(backend, graph(v1, false, calls), store.store);
    try {
      const runOf = async () =>
        h.engine.waitForRun((await h.engine.requestRun({ selection: '*', trigger: 'manual' })).id);
      expect((await runOf()).status).toBe('succeeded');
      const first = (await h.latest('customers')).table!;
      expect(first.schemaChange).toBeNull();

      // An added column: flagged, and allowed by the check.
      await h.engine.setGraph(AssetGraph.build(graph(`${v1}, i % 2 = 0 AS vip`, true, calls)));
      const added = await runOf();
      expect(added.status).toBe('succeeded');
      const second = (await h.latest('customers')).table!;
      expect(second.schemaChange).toEqual({
        added: [{ name: 'vip', type: 'BOOLEAN', nullable: true }],
        removed: [],
        typeChanged: [],
      });
      expect(second.schemaHash).not.toBe(first.schemaHash);

      // A dropped column (and a changed type): flagged, and the check blocks.
      calls.length = 0;
      await h.engine.setGraph(AssetGraph.build(graph('i AS id, i AS name, i % 2 = 0 AS vip', true, calls)));
      const dropped = await runOf();
      expect(dropped.status).toBe('failed');
      const steps = Object.fromEntries(dropped.steps.map((s) => [s.assetKey, s]));
      expect(steps.customers!.status).toBe('failed');
      expect(steps.customers!.error).toContain("check 'schema' failed");
      expect(steps.customers!.error).toContain('removed amount');
      expect(steps.customers!.error).toContain('changed name VARCHAR → BIGINT');
      expect(steps.report!.status).toBe('skipped');
      expect(calls).toEqual([]);
      const third = (await h.latest('customers')).table!;
      expect(third.schemaChange).toEqual({
        added: [],
        removed: [{ name: 'amount', type: 'DOUBLE', nullable: true }],
        typeChanged: [{ name: 'name', from: 'VARCHAR', to: 'BIGINT' }],
      });
    } finally {
      await h.close();
    }
  });

  it('stores each daily partition as its own file; an unpartitioned downstream reads their union', async () => {
    const daily = asset({
      key: 'daily_orders',
      partitions: dailyPartitions({ start: '2025-01-01', end: '2025-01-04' }),
      materialize: (ctx) =>
        table.fromQuery(
          `SELECT DATE '${ctx.partition}' AS day, range AS n FROM range(${Number(ctx.partition!.slice(-1)) * 10})`,
        ),
    });
    const summary = asset({
      key: 'summary',
      deps: { daily },
      materialize: async (_ctx, { daily: orders }) => ({
        partitions: Object.keys(orders.partitions ?? {}),
        files: orders.uris.length,
        byDay: await orders.query(
          `SELECT strftime(day, '%Y-%m-%d') AS day, count(*) AS n FROM ${orders} GROUP BY day ORDER BY day`,
        ),
        total: (await orders.query(`SELECT count(*) AS n FROM ${orders}`))[0]!.n,
      }),
    });
    const h = await startTableEngine(backend, [daily, summary], store.store);
    try {
      const partitions = ['2025-01-01', '2025-01-02', '2025-01-03'];
      const days = await h.engine.waitForRun(
        (await h.engine.requestRun({ selection: 'daily_orders', trigger: 'manual', partitions })).id,
      );
      expect(days.status).toBe('succeeded');
      const uris = new Set<string>();
      for (const [i, day] of partitions.entries()) {
        const stored = await h.latest('daily_orders', day);
        expect(stored.table!.rowCount).toBe((i + 1) * 10);
        uris.add(stored.uri);
      }
      expect(uris.size).toBe(3);
      const run = await h.engine.waitForRun(
        (await h.engine.requestRun({ selection: 'summary', trigger: 'manual' })).id,
      );
      expect(run.status).toBe('succeeded');
      const [row] = await h.database.dataSource.query(
        `SELECT output_inline FROM materializations WHERE asset_key = 'summary'`,
      );
      expect(row.output_inline).toEqual({
        partitions,
        files: 3,
        byDay: [
          { day: '2025-01-01', n: 10 },
          { day: '2025-01-02', n: 20 },
          { day: '2025-01-03', n: 30 },
        ],
        total: 60,
      });
    } finally {
      await h.close();
    }
  });
});
