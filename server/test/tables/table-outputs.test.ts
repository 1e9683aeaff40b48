import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import { column, table, type TableHandle } from '../../src/sdk/table.js';
import { openTestStore, startTableEngine, type StoreKind, type TestStore } from './table-harness.js';

const ROWS = 1_000_000;
// amount = (id % 1000) * 0.5: each block of 1000 ids sums to 0.5 * 499500.
const TOTAL = (ROWS / 1000) * 0.5 * 499_500;

function pipelineAssets() {
  const orders = asset({
    key: 'bronze/orders',
    materialize: () =>
      table.fromQuery(
        `SELECT range AS id, range % 100 AS customer, ((range % 1000) * 0.5)::DOUBLE AS amount, 'r' || (range % 7) AS region
           FROM range(${ROWS})`,
      ),
  });
  const totals = asset({
    key: 'gold/totals',
    deps: { orders },
    materialize: async (_ctx, { orders: rows }) => {
      const [row] = await rows.query(
        `SELECT count(*) AS n, sum(amount) AS total, count(DISTINCT customer) AS customers FROM ${rows}`,
      );
      return row as { n: number; total: number; customers: number };
    },
  });
  const byRegion = asset({
    key: 'silver/by_region',
    deps: { orders },
    columnLineage: { region: [column(orders, 'region')], revenue: [column(orders, 'amount')] },
    materialize: (_ctx, { orders: rows }) =>
      table.fromQuery(`SELECT region, sum(amount) AS revenue FROM ${rows} GROUP BY region ORDER BY region`),
  });
  const regionRows = asset({
    key: 'gold/region_rows',
    deps: { byRegion },
    materialize: async (_ctx, { byRegion: regions }: { byRegion: TableHandle }) => regions.rows(),
  });
  return [orders, totals, byRegion, regionRows];
}

/** The stored Parquet, opened by DuckDB alone: its row count and schema. */
async function inspectParquet(store: TestStore, uri: string) {
  const dir = await mkdtemp(join(tmpdir(), 'weir-inspect-'));
  try {
    let path: string;
    if (uri.startsWith('file:')) path = fileURLToPath(uri);
    else {
      path = join(dir, 'copy.parquet');
      await pipeline(await store.store.open(uri), createWriteStream(path));
    }
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    const count = (
      await connection.runAndReadAll(`SELECT count(*) AS n FROM read_parquet('${path}')`)
    ).getRowObjectsJS();
    const described = (
      await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`)
    ).getRowObjectsJS();
    connection.closeSync();
    db.closeSync();
    return {
      rows: Number(count[0]!.n),
      columns: described.map((row) => ({ name: row.column_name, type: row.column_type })),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe.each<StoreKind>(['filesystem', 's3'])('table outputs on the %s store', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('stores a 1M-row DuckDB table as Parquet with its metadata; downstream queries read it in place', async () => {
    const h = await startTableEngine('pglite', pipelineAssets(), store.store);
    try {
      const run = await h.engine.requestRun({ selection: '*', trigger: 'manual' });
      const final = await h.engine.waitForRun(run.id);
      expect(final.steps.map((s) => [s.assetKey, s.status, s.error])).toEqual(
        expect.arrayContaining([
          ['bronze/orders', 'succeeded', null],
          ['gold/totals', 'succeeded', null],
          ['silver/by_region', 'succeeded', null],
          ['gold/region_rows', 'succeeded', null],
        ]),
      );

      const orders = await h.latest('bronze/orders');
      expect(orders.valueType).toBe('table');
      expect(orders.uri).toMatch(
        kind === 's3' ? /^s3:\/\/weir-tables\/t\/runs\/.+\/output\.parquet$/ : /^file:\/\/.+\/output\.parquet$/,
      );
      const onDisk = await inspectParquet(store, orders.uri);
      expect(onDisk.rows).toBe(ROWS);
      const columns = [
        { name: 'id', type: 'BIGINT', nullable: true },
        { name: 'customer', type: 'BIGINT', nullable: true },
        { name: 'amount', type: 'DOUBLE', nullable: true },
        { name: 'region', type: 'VARCHAR', nullable: true },
      ];
      expect(onDisk.columns).toEqual(columns.map(({ name, type }) => ({ name, type })));
      const [ref] = await h.database.dataSource.query(
        `SELECT output_ref, output_size FROM materializations WHERE asset_key = 'bronze/orders'`,
      );
      expect(orders.table).toEqual({
        rowCount: ROWS,
        bytes: ref.output_ref.size,
        columns,
        schemaHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        schemaChange: null,
      });
      expect(orders.table!.bytes).toBeGreaterThan(1000);
      expect(ref.output_ref.contentType).toBe('application/vnd.apache.parquet');

      const [totals] = await h.database.dataSource.query(
        `SELECT output_inline FROM materializations WHERE asset_key = 'gold/totals'`,
      );
      expect(totals.output_inline).toEqual({ n: ROWS, total: TOTAL, customers: 100 });

      const regions = await h.latest('silver/by_region');
      expect(regions.table).toMatchObject({
        rowCount: 7,
        columns: [
          { name: 'region', type: 'VARCHAR', nullable: true },
          { name: 'revenue', type: 'DOUBLE', nullable: true },
        ],
        columnLineage: {
          region: [{ asset: 'bronze/orders', column: 'region' }],
          revenue: [{ asset: 'bronze/orders', column: 'amount' }],
        },
      });
      const [regionRows] = await h.database.dataSource.query(
        `SELECT output_inline FROM materializations WHERE asset_key = 'gold/region_rows'`,
      );
      const rows = regionRows.output_inline as Array<{ region: string; revenue: unknown }>;
      expect(rows.map((r) => r.region)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
      expect(rows.reduce((sum, r) => sum + (r.revenue as number), 0)).toBe(TOTAL);
    } finally {
      await h.close();
    }
  });
});
