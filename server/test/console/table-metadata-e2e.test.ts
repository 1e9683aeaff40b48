import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableColumn, TableMetadata } from '../../src/sdk/table-metadata.js';
import { openConsoleBrowser, type ConsoleBrowser } from '../support/console-browser.js';
import { materializationIdsOf, recordTableMetadata } from '../support/table-metadata-records.js';

const PROJECT = fileURLToPath(new URL('../fixtures/table-project/index.ts', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../.artifacts/table-metadata-e2e/', import.meta.url));
const SCREENSHOT = '/tmp/i13ui-table.png';

const column = (name: string, type: string, nullable = true): TableColumn => ({ name, type, nullable });
const ORDERS: TableMetadata = {
  rowCount: 48_210,
  bytes: 1_843_200,
  columns: [
    column('id', 'BIGINT', false),
    column('customer_id', 'BIGINT', false),
    column('amount', 'DECIMAL(18,2)'),
    column('discount', 'DECIMAL(18,2)'),
    column('ordered_at', 'TIMESTAMP'),
  ],
  schemaHash: '1'.repeat(64),
  schemaChange: null,
};
const CUSTOMERS: TableMetadata = {
  rowCount: 1_200,
  bytes: 65_536,
  columns: [column('id', 'BIGINT', false), column('name', 'VARCHAR'), column('country', 'VARCHAR')],
  schemaHash: '2'.repeat(64),
  schemaChange: null,
};
const REVENUE_LINEAGE = {
  day: [{ asset: 'shop/orders', column: 'ordered_at' }],
  revenue: [
    { asset: 'shop/orders', column: 'amount' },
    { asset: 'shop/orders', column: 'discount' },
  ],
  orders_count: [{ asset: 'shop/orders', column: 'id' }],
  avg_order: [
    { asset: 'shop/orders', column: 'amount' },
    { asset: 'shop/orders', column: 'id' },
  ],
  country: [{ asset: 'shop/customers', column: 'country' }],
};
const REVENUE_FIRST: TableMetadata = {
  rowCount: 1_100,
  bytes: 40_960,
  columns: [
    column('day', 'DATE', false),
    column('revenue', 'INTEGER'),
    column('orders_count', 'BIGINT'),
    column('avg_order', 'DOUBLE'),
    column('country', 'VARCHAR'),
    column('legacy_code', 'VARCHAR'),
  ],
  schemaHash: '3'.repeat(64),
  schemaChange: null,
  columnLineage: REVENUE_LINEAGE,
};
// The second materialization drops legacy_code, adds customer_name and widens revenue.
const REVENUE_SECOND: TableMetadata = {
  rowCount: 1_250,
  bytes: 51_200,
  columns: [
    column('day', 'DATE', false),
    column('revenue', 'BIGINT'),
    column('orders_count', 'BIGINT'),
    column('avg_order', 'DOUBLE'),
    column('country', 'VARCHAR'),
    column('customer_name', 'VARCHAR'),
  ],
  schemaHash: '4'.repeat(64),
  schemaChange: {
    added: [column('customer_name', 'VARCHAR')],
    removed: [column('legacy_code', 'VARCHAR')],
    typeChanged: [{ name: 'revenue', from: 'INTEGER', to: 'BIGINT' }],
  },
  columnLineage: { ...REVENUE_LINEAGE, customer_name: [{ asset: 'shop/customers', column: 'name' }] },
};

// Twenty columns, each from one or two of fourteen upstream columns of three assets.
const UPSTREAM_COLUMNS = [
  ...ORDERS.columns.map((c) => ({ asset: 'shop/orders', column: c.name })),
  ...CUSTOMERS.columns.map((c) => ({ asset: 'shop/customers', column: c.name })),
  ...REVENUE_SECOND.columns.map((c) => ({ asset: 'shop/revenue', column: c.name })),
];
const WIDE: TableMetadata = {
  rowCount: 20,
  bytes: 4_096,
  columns: Array.from({ length: 20 }, (_, i) => column(`metric_${String(i).padStart(2, '0')}`, 'DOUBLE')),
  schemaHash: '5'.repeat(64),
  schemaChange: null,
  columnLineage: Object.fromEntries(
    Array.from({ length: 20 }, (_, i) => [
      `metric_${String(i).padStart(2, '0')}`,
      i % 3 === 0
        ? [UPSTREAM_COLUMNS[i % UPSTREAM_COLUMNS.length]!, UPSTREAM_COLUMNS[(i + 5) % UPSTREAM_COLUMNS.length]!]
        : [UPSTREAM_COLUMNS[i % UPSTREAM_COLUMNS.length]!],
    ]),
  ),
};

// The asset page of a table asset in headless Chromium against `weir dev` on PostgreSQL: its
// schema with the changes since the previous materialization, its row count over time, and its
// column lineage drawn from upstream columns, each upstream asset linking to its page.
describe('table metadata on the asset page in headless Chromium against weir dev', () => {
  let session: ConsoleBrowser;
  let page: Page;
  let base: string;
  let db: pg.Client;

  const materialize = async (selection: string) => {
    const { materialize: run } = (await session.gql(`mutation { materialize(selection: "${selection}") { id } }`)) as {
      materialize: { id: string };
    };
    for (;;) {
      const { run: found } = (await session.gql(`{ run(id: "${run.id}") { status } }`)) as {
        run: { status: string };
      };
      if (['SUCCEEDED', 'FAILED', 'CANCELED'].includes(found.status)) return found.status;
      await sleep(100);
    }
  };

  beforeAll(async () => {
    session = await openConsoleBrowser({
      name: 'table-e2e',
      artifacts: ARTIFACTS,
      env: { WEIR_PROJECT: PROJECT },
      viewport: { width: 1280, height: 900 },
    });
    ({ page, base } = session);
    db = new pg.Client({ connectionString: session.databaseUrl });
    await db.connect();

    expect(await materialize('shop/orders, shop/customers, shop/revenue, shop/wide, shop/notes')).toBe('SUCCEEDED');
    expect(await materialize('shop/revenue')).toBe('SUCCEEDED');
    await recordTableMetadata(db, (await materializationIdsOf(db, 'shop/orders'))[0]!, ORDERS);
    await recordTableMetadata(db, (await materializationIdsOf(db, 'shop/customers'))[0]!, CUSTOMERS);
    const [first, second] = await materializationIdsOf(db, 'shop/revenue');
    await recordTableMetadata(db, first!, REVENUE_FIRST);
    await recordTableMetadata(db, second!, REVENUE_SECOND);
    await recordTableMetadata(db, (await materializationIdsOf(db, 'shop/wide'))[0]!, WIDE);
  }, 180_000);

  afterAll(async () => {
    await db?.end();
    await session?.close();
  });

  it('GraphQL returns the column lineage of the latest materialization', async () => {
    const { asset } = (await session.gql(
      `{ asset(key: "shop/revenue") { columnLineage { from { asset column } to { asset column } } } }`,
    )) as { asset: { columnLineage: Array<{ from: { asset: string; column: string }; to: { column: string } }> } };
    const edges = asset.columnLineage.map((edge) => `${edge.from.asset}.${edge.from.column} → ${edge.to.column}`);
    expect(edges).toContain('shop/orders.amount → revenue');
    expect(edges).toContain('shop/customers.name → customer_name');
    expect(edges).toHaveLength(8);
  });

  it('shows the schema with its changes, the row count over time and the column lineage', async () => {
    await session.signIn();
    await page.goto(`${base}/assets/shop/revenue`);
    await page.getByTestId('column-lineage').waitFor();

    const rows = await page.getByTestId('schema-row').evaluateAll((elements) =>
      elements.map((row) => ({
        change: row.getAttribute('data-change'),
        cells: [...row.querySelectorAll('th, td')].map((cell) => cell.textContent!.trim()),
        struck: row.querySelector('del') !== null,
      })),
    );
    expect(rows).toEqual([
      { change: 'unchanged', cells: ['day', 'DATE', 'no', ''], struck: false },
      { change: 'retyped', cells: ['revenue', 'INTEGER → BIGINT', 'yes', 'type changed'], struck: false },
      { change: 'unchanged', cells: ['orders_count', 'BIGINT', 'yes', ''], struck: false },
      { change: 'unchanged', cells: ['avg_order', 'DOUBLE', 'yes', ''], struck: false },
      { change: 'unchanged', cells: ['country', 'VARCHAR', 'yes', ''], struck: false },
      { change: 'added', cells: ['customer_name', 'VARCHAR', 'yes', 'added'], struck: false },
      { change: 'removed', cells: ['legacy_code', 'VARCHAR', 'yes', 'removed'], struck: true },
    ]);
    expect(await page.getByTestId('table-row-count').textContent()).toBe('1,250');
    expect(await page.getByTestId('table-bytes').textContent()).toBe('50 KB');
    expect(await page.getByTestId('schema-change-summary').textContent()).toContain(
      '1 column added, 1 column removed, 1 column changed type',
    );

    // Row count over time: both materializations, oldest first, the latest shown.
    const chart = page.getByTestId('row-count-chart');
    expect(await chart.getByRole('img').getAttribute('aria-label')).toMatch(
      /row count over time: 2 values .* latest 1250, lowest 1100, highest 1250/,
    );

    const links = await page
      .getByTestId('lineage-link')
      .evaluateAll((paths) =>
        paths.map((path) => `${path.getAttribute('data-from')} → ${path.getAttribute('data-to')}`),
      );
    expect(links.sort()).toEqual(
      [
        'shop/customers.country → country',
        'shop/customers.name → customer_name',
        'shop/orders.amount → avg_order',
        'shop/orders.amount → revenue',
        'shop/orders.discount → revenue',
        'shop/orders.id → avg_order',
        'shop/orders.id → orders_count',
        'shop/orders.ordered_at → day',
      ].sort(),
    );
    // Every line starts at its upstream column's row and ends at its own column's row, on screen.
    const band = (await page.getByTestId('column-lineage').locator('svg').boundingBox())!;
    const middleOf = async (testId: string, column: string) => {
      const box = (await page.locator(`[data-testid="${testId}"][data-column="${column}"]`).boundingBox())!;
      return box.y + box.height / 2;
    };
    const drawn = await page.getByTestId('lineage-link').evaluateAll((paths) =>
      paths.map((path) => ({
        d: path.getAttribute('d')!,
        from: path.getAttribute('data-from')!,
        to: path.getAttribute('data-to')!,
      })),
    );
    const misdrawn: string[] = [];
    for (const link of drawn) {
      const ys = link.d.match(/-?[\d.]+/g)!.map(Number);
      const [y1, y2] = [band.y + ys[1]!, band.y + ys[ys.length - 1]!];
      if (Math.abs((await middleOf('lineage-upstream-column', link.from)) - y1) > 1) misdrawn.push(link.from);
      if (Math.abs((await middleOf('lineage-own-column', link.to)) - y2) > 1) misdrawn.push(link.to);
    }
    expect(misdrawn).toEqual([]);
    expect(await page.getByTestId('lineage-upstream-asset').allTextContents()).toEqual([
      'shop/orders',
      'shop/customers',
    ]);

    await page.getByTestId('lineage-own-column').filter({ hasText: 'revenue' }).first().hover();
    expect(await page.locator('[data-testid="lineage-link"].lit').count()).toBe(2);
    await page.getByTestId('column-lineage').screenshot({ path: `${ARTIFACTS}lineage-hover.png` });
    await page.mouse.move(0, 0);

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await session.screenshot('revenue');
    expect(session.consoleErrors).toEqual([]);
  });

  it('links each upstream asset to its page; an asset that is not a table shows no table', async () => {
    await page.getByTestId('lineage-upstream-asset').filter({ hasText: 'shop/orders' }).click();
    await page.waitForURL(/\/assets\/shop(%2F|\/)orders$/);
    await page.getByRole('heading', { name: 'Table' }).waitFor();
    expect(await page.getByTestId('table-row-count').textContent()).toBe('48,210');
    expect(await page.getByTestId('schema-change-summary').textContent()).toContain('First materialization');
    expect(await page.getByText('No column lineage recorded for this table').count()).toBe(1);
    await session.screenshot('orders');

    await page.goto(`${base}/assets/shop/wide`);
    await page.getByTestId('column-lineage').waitFor();
    expect(await page.getByTestId('lineage-own-column').count()).toBe(20);
    expect(await page.getByTestId('lineage-link').count()).toBe(27);
    await page.getByTestId('column-lineage').screenshot({ path: `${ARTIFACTS}lineage-20-columns.png` });

    await page.goto(`${base}/assets/shop/notes`);
    await page.getByRole('heading', { name: 'Materializations' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Column lineage' }).count()).toBe(0);
    expect(await page.getByTestId('schema-row').count()).toBe(0);
    expect(session.consoleErrors).toEqual([]);
  });
});
