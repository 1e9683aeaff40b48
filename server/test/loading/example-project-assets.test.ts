import { describe, expect, it } from 'vitest';
import type { AnyAsset } from 'weir';
import { materializeForTest } from 'weir/testing';

// Imported by URL: the example project is outside the server's TypeScript program (its rootDir).
const project = (await import(new URL('../../../assets/index.ts', import.meta.url).href)) as Record<string, AnyAsset>;
const { rawCustomers, customers, dailyOrders } = project as {
  rawCustomers: AnyAsset;
  customers: AnyAsset;
  dailyOrders: AnyAsset;
};

type Customer = { customerId: string; fullName: string; email: string };

// The example project's assets under the testing helper users get (`weir/testing`), the way a
// project's own suite would test them: in memory, no server, no database.
describe('the example project under materializeForTest', () => {
  const version = (email: string, updatedAt: string) => ({
    customerId: 'c1',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email,
    country: 'GB',
    segment: 'consumer',
    marketingOptIn: true,
    signedUpAt: '2025-01-01T00:00:00Z',
    updatedAt,
  });

  it('silver/customers keeps the newest version of a customer and cleans its email', async () => {
    const run = await materializeForTest([customers], {
      inputs: {
        'bronze/customers': [
          version('old@example.com', '2025-01-01T00:00:00Z'),
          version('  Ada@Example.COM ', '2025-02-01T00:00:00Z'),
        ],
      },
    });
    const result = run.of(customers);
    expect(result.value).toHaveLength(1);
    expect(result.value[0]).toMatchObject({ customerId: 'c1', fullName: 'Ada Lovelace', email: 'ada@example.com' });
    expect(result.metadata).toMatchObject({ rows: 1, duplicates_removed: 1, invalid_emails: 0 });
    expect(result.logs.map((line) => line.message)).toContain('deduplicated customers');
  });

  it('bronze/customers feeds silver/customers in one run, and its checks pass', async () => {
    const run = await materializeForTest([customers, rawCustomers]);
    const raw = run.of(rawCustomers).value as unknown[];
    const clean = run.of(customers).value as Customer[];
    expect(raw.length).toBeGreaterThan(clean.length);
    expect(new Set(clean.map((c) => c.customerId)).size).toBe(clean.length);
    expect(run.of(customers).checks.every((check) => check.passed)).toBe(true);
  });

  it('gold/daily_orders counts the orders of its partition only', async () => {
    const order = (orderDate: string, status: string, amountEur: number, customerId: string) => ({
      orderDate,
      status,
      amountEur,
      customerId,
    });
    const run = await materializeForTest([dailyOrders], {
      partition: '2025-05-02',
      inputs: {
        'silver/orders': [
          order('2025-05-02', 'paid', 10.5, 'a'),
          order('2025-05-02', 'paid', 4.5, 'a'),
          order('2025-05-02', 'cancelled', 99, 'b'),
          order('2025-05-03', 'paid', 1, 'c'),
        ],
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
