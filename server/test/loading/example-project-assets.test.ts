import { describe, expect, it } from 'vitest';
import type { AnyAsset } from 'weir';
import { table } from 'weir';
import { materializeForTest } from 'weir/testing';

// Imported by URL: the example project is outside the server's TypeScript program (its rootDir).
const project = (await import(new URL('../../../assets/index.ts', import.meta.url).href)) as Record<string, AnyAsset>;
const { rawCustomers, customers, dailyOrders, CUSTOMER_COLUMNS } = project as unknown as {
  rawCustomers: AnyAsset;
  customers: AnyAsset;
  dailyOrders: AnyAsset;
  CUSTOMER_COLUMNS: Record<string, string>;
};

type Customer = { customer_id: string; full_name: string; email: string };

// The example project's assets under the testing helper users get (`weir/testing`), the way a
// project's own suite would test them: in memory, no server, no database.
describe('the example project under materializeForTest', () => {
  const version = (email: string, updatedAt: string) => ({
    customer_id: 'c1',
    first_name: 'Ada',
    last_name: 'Lovelace',
    email,
    country: 'GB',
    segment: 'consumer',
    marketing_opt_in: true,
    signed_up_at: '2025-01-01T00:00:00Z',
    updated_at: updatedAt,
  });

  it('silver/customers keeps the newest version of a customer and cleans its email', async () => {
    const run = await materializeForTest([customers], {
      inputs: {
        // A table upstream is given as a table: written as Parquet, read through its handle.
        'bronze/customers': table.fromRows(CUSTOMER_COLUMNS, [
          version('old@example.com', '2025-01-01T00:00:00Z'),
          version('  Ada@Example.COM ', '2025-02-01T00:00:00Z'),
        ]),
      },
    });
    const result = run.of(customers);
    expect(result.value).toHaveLength(1);
    expect(result.value[0]).toMatchObject({ customer_id: 'c1', full_name: 'Ada Lovelace', email: 'ada@example.com' });
    expect(result.metadata).toMatchObject({ rows: 1, duplicates_removed: 1, invalid_emails: 0 });
    expect(result.logs.map((line) => line.message)).toContain('deduplicated customers');
  });

  it('bronze/customers feeds silver/customers in one run, and its checks pass', async () => {
    const run = await materializeForTest([customers, rawCustomers]);
    const raw = run.of(rawCustomers).value as unknown[];
    const clean = run.of(customers).value as Customer[];
    expect(raw.length).toBeGreaterThan(clean.length);
    expect(new Set(clean.map((c) => c.customer_id)).size).toBe(clean.length);
    expect(run.of(customers).checks.every((check) => check.passed)).toBe(true);
  });

  it('gold/daily_orders counts the orders of its partition only', async () => {
    const order = (order_date: string, status: string, amount_eur: number, customer_id: string) => ({
      order_date,
      status,
      amount_eur,
      customer_id,
    });
    const run = await materializeForTest([dailyOrders], {
      partition: '2025-05-02',
      inputs: {
        'silver/orders': table.fromRows(
          { order_date: 'DATE', status: 'VARCHAR', amount_eur: 'DOUBLE', customer_id: 'VARCHAR' },
          [
            order('2025-05-02', 'paid', 10.5, 'a'),
            order('2025-05-02', 'paid', 4.5, 'a'),
            order('2025-05-02', 'cancelled', 99, 'b'),
            order('2025-05-03', 'paid', 1, 'c'),
          ],
        ),
      },
    });
    expect(run.of(dailyOrders).value).toEqual({
      date: '2025-05-02',
      orders: 2,
      cancelled: 1,
      buyers: 1,
      revenueEur: 15,
    });
    expect(run.of(dailyOrders).partition).toBe('2025-05-02');
  });
});
