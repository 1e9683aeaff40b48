import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import { dailyPartitions } from '../../src/sdk/partitions.js';
import type { TableMetadata } from '../../src/sdk/table-metadata.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { countQueries } from '../support/query-counter.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';
import { materializationIdsOf, recordTableMetadata } from '../support/table-metadata-records.js';

// Ordinary JSON assets materialized by the real engine; their table metadata is then written on
// the materialization rows as the engine writes it for a table (see table-metadata-records.ts).
const orders = asset({ key: 'shop/orders', materialize: () => [{ id: 1, amount: 10 }] });
const customers = asset({ key: 'shop/customers', materialize: () => [{ id: 1, name: 'ada' }] });
const revenue = asset({
  key: 'shop/revenue',
  deps: { orders, customers },
  materialize: (_ctx, { orders: rows }) => rows.length,
});
const daily = asset({ key: 'shop/daily', partitions: dailyPartitions({ start: '2026-01-01' }), materialize: () => 1 });
const plain = asset({ key: 'shop/plain', materialize: () => 'not a table' });

const ORDERS_TABLE: TableMetadata = {
  rowCount: 3_000_000_000, // past 2^31: a GraphQL Int could not carry it
  bytes: 12_345_678_901,
  columns: [
    { name: 'id', type: 'BIGINT', nullable: false },
    { name: 'amount', type: 'DECIMAL(18,2)', nullable: true },
  ],
  schemaHash: 'a'.repeat(64),
  schemaChange: null,
};
const REVENUE_FIRST: TableMetadata = {
  rowCount: 10,
  bytes: 2_048,
  columns: [
    { name: 'day', type: 'DATE', nullable: false },
    { name: 'revenue', type: 'INTEGER', nullable: true },
    { name: 'legacy', type: 'VARCHAR', nullable: true },
  ],
  schemaHash: 'b'.repeat(64),
  schemaChange: null,
  columnLineage: { revenue: [{ asset: 'shop/orders', column: 'amount' }] },
};
const REVENUE_SECOND: TableMetadata = {
  rowCount: 12,
  bytes: 3_072,
  columns: [
    { name: 'day', type: 'DATE', nullable: false },
    { name: 'revenue', type: 'BIGINT', nullable: true },
    { name: 'customer_name', type: 'VARCHAR', nullable: true },
  ],
  schemaHash: 'c'.repeat(64),
  schemaChange: {
    added: [{ name: 'customer_name', type: 'VARCHAR', nullable: true }],
    removed: [{ name: 'legacy', type: 'VARCHAR', nullable: true }],
    typeChanged: [{ name: 'revenue', from: 'INTEGER', to: 'BIGINT' }],
  },
  columnLineage: {
    revenue: [
      { asset: 'shop/orders', column: 'amount' },
      { asset: 'shop/orders', column: 'id' },
    ],
    customer_name: [{ asset: 'shop/customers', column: 'name' }],
  },
};
const tableOfDay = (rowCount: number): TableMetadata => ({
  rowCount,
  bytes: 100 * rowCount,
  columns: [{ name: 'n', type: 'BIGINT', nullable: false }],
  schemaHash: 'd'.repeat(64),
  schemaChange: null,
});

const TABLE_FIELDS = `rowCount bytes schemaHash columns { name type nullable }
  schemaChange { added { name type nullable } removed { name type nullable } typeChanged { name from to } }
  columnLineage { column upstream { asset column } }`;

describe.each(STORAGE_BACKENDS)('table metadata in the GraphQL API (%s)', (backend) => {
  let h: GraphQLHarness;
  const run = async (selection: string, partitions?: string[]) =>
    h.engine.engine.waitForRun((await h.engine.engine.requestRun({ selection, trigger: 'manual', partitions })).id);

  beforeAll(async () => {
    h = await startGraphQL(backend, [orders, customers, revenue, daily, plain]);
    const db = h.engine.database.dataSource;
    expect((await run('shop/orders, shop/customers, shop/revenue, shop/plain')).status).toBe('succeeded');
    expect((await run('shop/revenue')).status).toBe('succeeded');
    expect((await run('shop/daily', ['2026-01-01', '2026-01-02'])).status).toBe('succeeded');
    expect((await run('shop/daily', ['2026-01-01'])).status).toBe('succeeded');

    await recordTableMetadata(db, (await materializationIdsOf(db, 'shop/orders'))[0]!, ORDERS_TABLE);
    const [first, second] = await materializationIdsOf(db, 'shop/revenue');
    await recordTableMetadata(db, first!, REVENUE_FIRST);
    await recordTableMetadata(db, second!, REVENUE_SECOND);
    const [dayOneFirst, dayOneSecond] = await materializationIdsOf(db, 'shop/daily', '2026-01-01');
    await recordTableMetadata(db, dayOneFirst!, tableOfDay(5));
    await recordTableMetadata(db, dayOneSecond!, tableOfDay(7));
    await recordTableMetadata(db, (await materializationIdsOf(db, 'shop/daily', '2026-01-02'))[0]!, tableOfDay(9));
  }, 120_000);
  afterAll(() => h?.close());

  it('Asset.table is the latest table: schema, change from the previous one, lineage as a list', async () => {
    const response = await h.gql<{ asset: { table: unknown } }>(
      `{ asset(key: "shop/revenue") { table { ${TABLE_FIELDS} } } }`,
      {},
      h.tokens.viewer,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.asset.table).toEqual({
      rowCount: 12,
      bytes: 3_072,
      schemaHash: 'c'.repeat(64),
      columns: REVENUE_SECOND.columns,
      schemaChange: REVENUE_SECOND.schemaChange,
      columnLineage: [
        {
          column: 'revenue',
          upstream: [
            { asset: 'shop/orders', column: 'amount' },
            { asset: 'shop/orders', column: 'id' },
          ],
        },
        { column: 'customer_name', upstream: [{ asset: 'shop/customers', column: 'name' }] },
      ],
    });
  });

  it('Asset.columnLineage: one edge per upstream column → column of this asset', async () => {
    const response = await h.gql<{ asset: { columnLineage: unknown[] } }>(
      `{ asset(key: "shop/revenue") { columnLineage { from { asset column } to { asset column } } } }`,
      {},
      h.tokens.viewer,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.asset.columnLineage).toEqual([
      { from: { asset: 'shop/orders', column: 'amount' }, to: { asset: 'shop/revenue', column: 'revenue' } },
      { from: { asset: 'shop/orders', column: 'id' }, to: { asset: 'shop/revenue', column: 'revenue' } },
      {
        from: { asset: 'shop/customers', column: 'name' },
        to: { asset: 'shop/revenue', column: 'customer_name' },
      },
    ]);
  });

  it('Materialization.table and Asset.rowCountSeries: each materialization its own table, oldest first', async () => {
    const response = await h.gql<{
      asset: {
        materializations: { nodes: Array<{ runId: string; table: { rowCount: number; schemaHash: string } }> };
        rowCountSeries: Array<{ at: string; value: number; runId: string }>;
      };
    }>(
      `{ asset(key: "shop/revenue") {
          materializations { nodes { runId table { rowCount schemaHash schemaChange { removed { name } } } } }
          rowCountSeries(limit: 10) { at value runId } } }`,
      {},
      h.tokens.viewer,
    );
    expect(response.errors).toBeUndefined();
    const { materializations, rowCountSeries } = response.data!.asset;
    expect(materializations.nodes.map((node) => node.table)).toEqual([
      { rowCount: 12, schemaHash: 'c'.repeat(64), schemaChange: { removed: [{ name: 'legacy' }] } },
      { rowCount: 10, schemaHash: 'b'.repeat(64), schemaChange: null },
    ]);
    expect(rowCountSeries.map((point) => point.value)).toEqual([10, 12]);
    expect(rowCountSeries.map((point) => point.runId)).toEqual(materializations.nodes.map((n) => n.runId).reverse());
    expect(Date.parse(rowCountSeries[0]!.at)).toBeLessThanOrEqual(Date.parse(rowCountSeries[1]!.at));

    const latestOnly = await h.gql<{ asset: { rowCountSeries: Array<{ value: number }> } }>(
      `{ asset(key: "shop/revenue") { rowCountSeries(limit: 1) { value } } }`,
      {},
      h.tokens.viewer,
    );
    expect(latestOnly.data!.asset.rowCountSeries).toEqual([{ value: 12 }]);
  });

  it('row counts and sizes past 2^31 come back exact', async () => {
    const response = await h.gql<{ asset: { table: { rowCount: number; bytes: number }; rowCountSeries: unknown } }>(
      `{ asset(key: "shop/orders") { table { rowCount bytes } rowCountSeries { value } } }`,
      {},
      h.tokens.viewer,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.asset.table).toEqual({ rowCount: 3_000_000_000, bytes: 12_345_678_901 });
    expect(response.data!.asset.rowCountSeries).toEqual([{ value: 3_000_000_000 }]);
  });

  it('a partition argument picks that partition; without it, the latest of any partition', async () => {
    const response = await h.gql<{
      asset: {
        any: { rowCount: number };
        dayOne: { rowCount: number };
        dayTwo: { rowCount: number };
        dayThree: null;
        dayOneSeries: Array<{ value: number }>;
        allSeries: Array<{ value: number }>;
      };
    }>(
      `{ asset(key: "shop/daily") {
          any: table { rowCount } dayOne: table(partition: "2026-01-01") { rowCount }
          dayTwo: table(partition: "2026-01-02") { rowCount } dayThree: table(partition: "2026-01-03") { rowCount }
          dayOneSeries: rowCountSeries(partition: "2026-01-01") { value }
          allSeries: rowCountSeries { value } } }`,
      {},
      h.tokens.viewer,
    );
    expect(response.errors).toBeUndefined();
    const found = response.data!.asset;
    expect(found.any).toEqual({ rowCount: 7 }); // the second run made the newest materialization
    expect(found.dayOne).toEqual({ rowCount: 7 });
    expect(found.dayTwo).toEqual({ rowCount: 9 });
    expect(found.dayThree).toBeNull();
    expect(found.dayOneSeries).toEqual([{ value: 5 }, { value: 7 }]);
    expect(found.allSeries.map((point) => point.value).sort()).toEqual([5, 7, 9]);
  });

  it('an asset that is not a table: no table, no row counts, no lineage', async () => {
    const response = await h.gql<{ asset: unknown }>(
      `{ asset(key: "shop/plain") { table { rowCount } rowCountSeries { value } columnLineage { to { column } }
          lastMaterialization { table { rowCount } } } }`,
      {},
      h.tokens.viewer,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.asset).toEqual({
      table: null,
      rowCountSeries: [],
      columnLineage: [],
      lastMaterialization: { table: null },
    });
  });

  it('refuses a rowCountSeries limit outside 1..1000', async () => {
    for (const limit of [0, 1001]) {
      const response = await h.gql(
        `{ asset(key: "shop/revenue") { rowCountSeries(limit: ${limit}) { value } } }`,
        {},
        h.tokens.viewer,
      );
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.message).toMatch(/limit must be an integer from 1 to 1000/);
    }
  });

  it('tables and lineage of every asset cost a fixed number of queries (batched), not one per asset', async () => {
    const query = `{ assets { key table { rowCount columns { name } } columnLineage { from { asset } }
        lastMaterialization { table { schemaHash } } } }`;
    await h.gql(query, {}, h.tokens.viewer); // warm-up: the token's first use records last_used_at
    let tables: Array<{ key: string; table: { rowCount: number } | null }> = [];
    const counted = await countQueries(h.engine.database.dataSource, async () => {
      const response = await h.gql<{ assets: typeof tables }>(query, {}, h.tokens.viewer);
      expect(response.errors).toBeUndefined();
      tables = response.data!.assets;
    });
    expect(
      tables
        .filter((found) => found.table !== null)
        .map((found) => found.key)
        .sort(),
    ).toEqual(['shop/daily', 'shop/orders', 'shop/revenue']);
    const tableQueries = counted.queries.filter((sql) => /table_metadata/.test(sql));
    expect(tableQueries).toHaveLength(1);
  });
});
