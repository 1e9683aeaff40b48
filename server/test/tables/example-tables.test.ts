import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAssetDefinition } from '../../src/graph/collect-definitions.js';
import type { AnyAsset } from '../../src/sdk/asset.js';
import { openTestStore, startTableEngine, type TestStore } from './table-harness.js';

// Imported by URL: the example project is outside the server's TypeScript program (its rootDir).
const project = (await import(new URL('../../../assets/index.ts', import.meta.url).href)) as Record<string, AnyAsset>;
const { shop } = (await import(new URL('../../../assets/data/generate.ts', import.meta.url).href)) as {
  shop: () => {
    customers: Array<{ customerId: string; email: string; updatedAt: string }>;
    products: Array<{ sku: string }>;
    orders: Array<{
      orderId: string;
      customerId: string;
      orderedAt: string;
      status: string;
      currency: string;
      amount: number;
    }>;
    orderLines: Array<{ orderId: string; sku: string; quantity: number }>;
    webEvents: Array<{ visitorId: string; occurredAt: string; type: string }>;
  };
};

const round2 = (n: number) => Math.round(n * 100) / 100;
const FALLBACK_RATES: Record<string, number> = { EUR: 1, USD: 0.92, GBP: 1.17 };

/**
 * The figures the example project must produce, computed here in plain JS from the generated
 * shop (the way its assets computed them before they became DuckDB tables): an independent
 * reference for what DuckDB now computes.
 */
function reference() {
  const data = shop();
  const latest = new Map<string, { email: string; updatedAt: string }>();
  for (const c of data.customers) {
    const seen = latest.get(c.customerId);
    if (!seen || c.updatedAt > seen.updatedAt) latest.set(c.customerId, c);
  }
  const valid = [...latest.entries()].filter(([, c]) =>
    /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/.test(c.email.trim().toLowerCase()),
  );
  const orders = data.orders.filter((o) => o.status !== 'test');
  const kept = orders.filter((o) => o.status !== 'cancelled');
  const byDay = new Map<string, number>();
  for (const o of orders) {
    const day = o.orderedAt.slice(0, 10);
    byDay.set(
      day,
      (byDay.get(day) ?? 0) + (o.status === 'cancelled' ? 0 : round2(o.amount * FALLBACK_RATES[o.currency]!)),
    );
  }
  const total = round2([...byDay.values()].reduce((sum, day) => sum + round2(day), 0));
  const lastSeen = new Map<string, number>();
  let sessions = 0;
  for (const e of data.webEvents) {
    const at = Date.parse(e.occurredAt);
    const last = lastSeen.get(e.visitorId);
    if (last === undefined || at - last > 30 * 60_000) sessions++;
    lastSeen.set(e.visitorId, at);
  }
  const validIds = new Set(valid.map(([id]) => id));
  const soldSkus = new Set(data.orderLines.filter((l) => kept.some((o) => o.orderId === l.orderId)).map((l) => l.sku));
  return {
    rawCustomers: data.customers.length,
    customers: valid.length,
    duplicates: data.customers.length - latest.size,
    orders: orders.length,
    testOrders: data.orders.length - orders.length,
    days: byDay.size,
    totalRevenueEur: total,
    sessions,
    events: data.webEvents.length,
    buyers: new Set(kept.map((o) => o.customerId).filter((id) => validIds.has(id))).size,
    products: data.products.length,
    unsold: data.products.filter((p) => !soldSkus.has(p.sku)).length,
    skus: new Set(data.orderLines.map((l) => l.sku)).size,
  };
}

describe('the example project: bronze and silver are Parquet tables built with DuckDB', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('filesystem');
  });
  afterAll(async () => {
    await store?.close();
  });

  it(
    'materializes every asset; the tables and the gold figures match a JS reference',
    { timeout: 300_000 },
    async () => {
      const expected = reference();
      const h = await startTableEngine('pglite', Object.values(project).filter(isAssetDefinition), store.store);
      try {
        const requested = await h.engine.requestRun({ selection: '*', trigger: 'manual' });
        const run = await h.engine.waitForRun(requested.id);
        // bronze/orders fails its first attempt on purpose; the harness allows one attempt per step
        // unless the asset says otherwise (its own policy retries it).
        expect(run.steps.filter((s) => s.status !== 'succeeded').map((s) => [s.assetKey, s.error])).toEqual([]);
        expect(run.steps.flatMap((s) => s.checks ?? []).filter((c) => !c.passed)).toEqual([]);

        const tables = [
          'bronze/customers',
          'bronze/products',
          'bronze/orders',
          'bronze/order_lines',
          'bronze/web_events',
          'bronze/clickstream_pages',
          'silver/customers',
          'silver/orders',
          'silver/sessions',
          'silver/sku_sales',
        ];
        for (const key of tables) expect((await h.latest(key)).valueType, key).toBe('table');
        const gold = ['gold/daily_revenue', 'gold/customer_360', 'gold/product_performance', 'gold/basket_stats'];
        for (const key of gold) expect((await h.latest(key)).valueType, key).not.toBe('table');

        const rows = async (key: string) => (await h.latest(key)).table!.rowCount;
        expect(await rows('bronze/customers')).toBe(expected.rawCustomers);
        expect(await rows('silver/customers')).toBe(expected.customers);
        expect(await rows('silver/orders')).toBe(expected.orders);
        expect(await rows('silver/sessions')).toBe(expected.sessions);
        expect(await rows('silver/sku_sales')).toBe(expected.skus);
        expect(await rows('bronze/clickstream_pages')).toBe(8 * 250);

        const orders = (await h.latest('silver/orders')).table!;
        expect(orders.columns.map((c) => `${c.name} ${c.type}`)).toEqual([
          'order_id VARCHAR',
          'customer_id VARCHAR',
          'ordered_at TIMESTAMP',
          'order_date DATE',
          'status VARCHAR',
          'currency VARCHAR',
          'amount DOUBLE',
          'amount_eur DOUBLE',
          'cost_eur DOUBLE',
          'lines STRUCT(sku VARCHAR, quantity INTEGER, revenue_eur DOUBLE, cost_eur DOUBLE)[]',
        ]);
        // Derived from the query's parse tree: plain columns of one upstream each.
        expect(orders.columnLineage?.amount).toEqual([{ asset: 'bronze/orders', column: 'amount' }]);
        expect((await h.latest('silver/sessions')).table!.columnLineage?.visitor_id).toEqual([
          { asset: 'bronze/web_events', column: 'visitor_id' },
        ]);

        const metadata = async (key: string) => {
          const [row] = await h.database.dataSource.query(
            `SELECT metadata FROM materializations WHERE asset_key = $1 ORDER BY created_at DESC LIMIT 1`,
            [key],
          );
          return row.metadata as Record<string, unknown>;
        };
        expect(await metadata('silver/customers')).toMatchObject({
          rows: expected.customers,
          duplicates_removed: expected.duplicates,
        });
        expect(await metadata('silver/orders')).toMatchObject({
          rows: expected.orders,
          test_orders_dropped: expected.testOrders,
          fx_source: 'fallback',
        });
        expect(await metadata('silver/sessions')).toMatchObject({ rows: expected.sessions, events: expected.events });
        const revenue = await metadata('gold/daily_revenue');
        expect(revenue.rows).toBe(expected.days);
        expect(revenue.total_revenue_eur as number).toBeCloseTo(expected.totalRevenueEur, 1);
        expect(await metadata('gold/customer_360')).toMatchObject({
          rows: expected.customers,
          buyers: expected.buyers,
        });
        expect(await metadata('gold/product_performance')).toMatchObject({
          rows: expected.products,
          unsold_products: expected.unsold,
        });
        expect((await metadata('gold/basket_stats')).rows).toBe(expected.orders);

        const sales = (await h.latest('silver/sku_sales')).table!;
        expect(sales.columnLineage).toEqual({
          sku: [{ asset: 'bronze/order_lines', column: 'sku' }],
          category: [{ asset: 'bronze/products', column: 'category' }],
          units: [{ asset: 'bronze/order_lines', column: 'quantity' }],
          list_revenue_eur: [
            { asset: 'bronze/order_lines', column: 'quantity' },
            { asset: 'bronze/products', column: 'list_price_eur' },
          ],
        });
      } finally {
        await h.close();
      }
    },
  );
});

describe('table assets under materializeForTest', () => {
  it('materializes a table and its downstream in memory; a table result is its rows, checks run in DuckDB', async () => {
    const { materializeForTest } = await import('../../src/testing/materialize-for-test.js');
    const { rawOrderLines, rawProducts, skuSales } = project as Record<string, AnyAsset>;
    const run = await materializeForTest([rawOrderLines!, rawProducts!, skuSales!]);
    const sales = run.of(skuSales!);
    const rows = sales.value as Array<{ sku: string; units: number }>;
    expect(rows.length).toBe(reference().skus);
    expect(new Set(rows.map((r) => r.sku)).size).toBe(rows.length);
    expect(rows.every((r) => typeof r.units === 'number' && r.units > 0)).toBe(true);
    expect(sales.checks.map((c) => [c.name, c.passed])).toEqual([
      ['unique(sku)', true],
      ['notNull(category)', true],
    ]);
    expect(sales.metadata).toEqual({ rows: rows.length });
  });
});
