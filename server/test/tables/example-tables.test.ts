import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyAsset } from '../../src/sdk/asset.js';
import { openTestStore, startTableEngine, type TestStore } from './table-harness.js';

// Imported by URL: the example project is outside the server's TypeScript program (its rootDir).
const project = (await import(new URL('../../../assets/tables.ts', import.meta.url).href)) as Record<string, AnyAsset>;

describe('the example project: tables built with DuckDB, with declared column lineage', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('filesystem');
  });
  afterAll(async () => {
    await store?.close();
  });

  it('materializes bronze tables and the silver join, recording schema, row counts and lineage', async () => {
    const h = await startTableEngine('pglite', Object.values(project), store.store);
    try {
      const run = await h.engine.waitForRun((await h.engine.requestRun({ selection: '*', trigger: 'manual' })).id);
      expect(run.steps.map((s) => [s.assetKey, s.status, s.error])).toEqual(
        expect.arrayContaining([
          ['bronze/order_lines_table', 'succeeded', null],
          ['bronze/products_table', 'succeeded', null],
          ['silver/sku_sales', 'succeeded', null],
        ]),
      );
      expect(run.steps.flatMap((s) => s.checks ?? []).every((c) => c.passed)).toBe(true);
      const lines = (await h.latest('bronze/order_lines_table')).table!;
      const sales = (await h.latest('silver/sku_sales')).table!;
      expect(lines.rowCount).toBeGreaterThan(sales.rowCount);
      expect(sales.rowCount).toBeGreaterThan(0);
      expect(sales.columns.map((c) => [c.name, c.type])).toEqual([
        ['sku', 'VARCHAR'],
        ['category', 'VARCHAR'],
        ['units', 'BIGINT'],
        ['list_revenue_eur', 'DOUBLE'],
      ]);
      const [meta] = await h.database.dataSource.query(
        `SELECT metadata FROM materializations WHERE asset_key = 'silver/sku_sales'`,
      );
      expect(meta.metadata).toEqual({ rows: sales.rowCount });
      expect(sales.columnLineage).toEqual({
        sku: [{ asset: 'bronze/order_lines_table', column: 'sku' }],
        category: [{ asset: 'bronze/products_table', column: 'category' }],
        units: [{ asset: 'bronze/order_lines_table', column: 'quantity' }],
        list_revenue_eur: [
          { asset: 'bronze/order_lines_table', column: 'quantity' },
          { asset: 'bronze/products_table', column: 'list_price_eur' },
        ],
      });
    } finally {
      await h.close();
    }
  });
});

describe('table assets under materializeForTest', () => {
  it('materializes a table and its downstream in memory; a table result is its rows, checks run in DuckDB', async () => {
    const { materializeForTest } = await import('../../src/testing/materialize-for-test.js');
    const { orderLinesTable, productsTable, skuSales } = project as Record<string, AnyAsset>;
    const run = await materializeForTest([orderLinesTable!, productsTable!, skuSales!]);
    const sales = run.of(skuSales!);
    const rows = sales.value as Array<{ sku: string; units: number }>;
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.sku)).size).toBe(rows.length);
    expect(rows.every((r) => typeof r.units === 'number' && r.units > 0)).toBe(true);
    expect(sales.checks.map((c) => [c.name, c.passed])).toEqual([
      ['unique(sku)', true],
      ['notNull(category)', true],
    ]);
    expect(sales.metadata).toEqual({ rows: rows.length });
  });
});
