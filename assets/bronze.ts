// Bronze: raw copies of the shop's systems, exactly as they come. No cleaning here, so that
// when a silver rule turns out to be wrong we can fix it and replay from bronze without
// asking the source systems again.
//
// Each bronze asset is a Parquet table: the rows the source system gave, with a declared schema
// (`table.fromRows`). DuckDB casts them, writes the file, and Weir records its row count, schema
// and schema changes; downstream assets query it in place with SQL.
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { asset, notNull, NonRetryableError, rowCount, schemaCheck, sourceAsset, table, unique } from 'weir';
import { shop } from './data/generate.js';
import type { RawOrder } from './data/schema.js';
import { snakeCased } from './lib/util.js';

const owners = ['team:data-platform'];

/** Columns of bronze/customers (exported for tests that build such a table). */
export const CUSTOMER_COLUMNS = {
  customer_id: 'VARCHAR',
  first_name: 'VARCHAR',
  last_name: 'VARCHAR',
  email: 'VARCHAR',
  country: 'VARCHAR',
  segment: 'VARCHAR',
  marketing_opt_in: 'BOOLEAN',
  signed_up_at: 'TIMESTAMP',
  updated_at: 'TIMESTAMP',
} as const;

const PRODUCT_COLUMNS = {
  sku: 'VARCHAR',
  name: 'VARCHAR',
  category: 'VARCHAR',
  list_price_eur: 'DOUBLE',
  unit_cost_eur: 'DOUBLE',
  active: 'BOOLEAN',
} as const;

const ORDER_COLUMNS = {
  order_id: 'VARCHAR',
  customer_id: 'VARCHAR',
  ordered_at: 'TIMESTAMP',
  status: 'VARCHAR',
  currency: 'VARCHAR',
  amount: 'DOUBLE',
  shipping_country: 'VARCHAR',
} as const;

const ORDER_LINE_COLUMNS = {
  order_id: 'VARCHAR',
  line_no: 'INTEGER',
  sku: 'VARCHAR',
  quantity: 'INTEGER',
  unit_price: 'DOUBLE',
} as const;

const WEB_EVENT_COLUMNS = {
  event_id: 'VARCHAR',
  visitor_id: 'VARCHAR',
  customer_id: 'VARCHAR',
  occurred_at: 'TIMESTAMP',
  type: 'VARCHAR',
  sku: 'VARCHAR',
  path: 'VARCHAR',
  device: 'VARCHAR',
  utm_source: 'VARCHAR',
} as const;

/** While this file exists, bronze/products fails (see below). */
const PIM_OUTAGE_FLAG = join(process.env.WEIR_DATA_DIR ?? join(process.cwd(), '.weir'), 'pim-outage');

/** CRM export: one row per version of a customer, so duplicates are expected. */
export const rawCustomers = asset({
  key: 'bronze/customers',
  group: 'bronze',
  owners,
  tags: ['pii'],
  description: 'Nightly CRM export of customer records (one row per version). Contains names and emails.',
  codeVersion: 'v2',
  checks: [schemaCheck({ allowAdditions: true }), notNull('customer_id')],
  materialize: (ctx) => {
    const rows = shop().customers;
    const distinct = new Set(rows.map((c) => c.customerId)).size;
    ctx.log.info('read CRM export', { rows: rows.length, distinctCustomers: distinct });
    ctx.metadata({ rows: rows.length, distinct_customers: distinct });
    return table.fromRows(CUSTOMER_COLUMNS, rows.map(snakeCased));
  },
});

/**
 * Product catalog. Used twice downstream (silver/orders for costs, gold/product_performance
 * for names and categories): one bronze asset fanning out to several consumers.
 */
export const rawProducts = asset({
  key: 'bronze/products',
  group: 'bronze',
  owners,
  description:
    'Product catalog from the PIM: SKUs, categories, list prices and unit costs in EUR. Fails while the file .weir/pim-outage exists (a simulated outage, to try re-execution from failure).',
  codeVersion: 'v2',
  checks: [schemaCheck({ allowAdditions: true }), unique('sku')],
  materialize: (ctx) => {
    // Demo knob: `touch .weir/pim-outage`, materialize, `rm .weir/pim-outage`, then re-execute
    // the failed run from its failure: the steps that succeeded are reused, not recomputed.
    if (existsSync(PIM_OUTAGE_FLAG)) {
      throw new NonRetryableError(`the PIM answered 'maintenance in progress' (simulated: remove ${PIM_OUTAGE_FLAG})`);
    }
    const rows = shop().products;
    ctx.metadata({ rows: rows.length, active: rows.filter((p) => p.active).length });
    ctx.log.info('read product catalog', { rows: rows.length });
    return table.fromRows(PRODUCT_COLUMNS, rows.map(snakeCased));
  },
});

const PAGE_SIZE = 500;

/**
 * Orders from the order service's REST API. That API is known to answer 503 under load, so
 * the asset carries its own retry policy: three tries, 1s then 2s apart. We always fail the
 * first attempt here so the demo shows a retry in the run timeline.
 */
export const rawOrders = asset({
  key: 'bronze/orders',
  group: 'bronze',
  owners,
  description:
    'Orders pulled page by page from the order API. The first attempt always fails (simulated 503) to demo retries.',
  codeVersion: 'v3',
  retry: { maxAttempts: 3, backoff: 'exponential', delay: '1s', jitter: 'none' },
  checks: [schemaCheck({ allowAdditions: true }), unique('order_id'), notNull('customer_id')],
  materialize: async (ctx) => {
    if (ctx.attemptNumber === 1) {
      ctx.log.warn('order API is overloaded', { status: 503, attempt: ctx.attemptNumber });
      // A plain Error is retried according to the policy above.
      throw new Error('upstream API returned 503 (simulated)');
    }
    const all = shop().orders;
    const rows: RawOrder[] = [];
    for (let offset = 0; offset < all.length; offset += PAGE_SIZE) {
      // Passing ctx.signal means a cancelled run stops between pages instead of finishing the pull.
      await sleep(20, undefined, { signal: ctx.signal });
      const page = all.slice(offset, offset + PAGE_SIZE);
      rows.push(...page);
      ctx.log.debug('fetched page', { offset, rows: page.length });
    }
    ctx.log.info('pulled orders from API', { rows: rows.length, attempt: ctx.attemptNumber });
    ctx.metadata({ rows: rows.length, pages: Math.ceil(all.length / PAGE_SIZE), attempt: ctx.attemptNumber });
    return table.fromRows(ORDER_COLUMNS, rows.map(snakeCased));
  },
});

export const rawOrderLines = asset({
  key: 'bronze/order_lines',
  group: 'bronze',
  owners,
  description: 'Order lines (SKU, quantity, unit price in the order currency) from the order database replica.',
  codeVersion: 'v2',
  checks: [schemaCheck({ allowAdditions: true }), notNull('order_id'), rowCount({ min: 1 })],
  materialize: (ctx) => {
    const rows = shop().orderLines;
    ctx.metadata({ rows: rows.length, units: rows.reduce((sum, l) => sum + l.quantity, 0) });
    ctx.log.info('read order lines', { rows: rows.length });
    return table.fromRows(ORDER_LINE_COLUMNS, rows.map(snakeCased));
  },
});

/**
 * Clickstream: thousands of events. Like every table, its Parquet file lives in the object
 * store and only its URI, size, checksum, row count and schema go into the database; downstream
 * SQL reads the file in place, so the events never pass through JS objects there.
 */
export const rawWebEvents = asset({
  key: 'bronze/web_events',
  group: 'bronze',
  owners: ['team:data-platform', 'alice@example.com'],
  description: 'Raw web analytics events (page views, product views, carts, checkouts). Large: stored by URI.',
  codeVersion: 'v2',
  checks: [schemaCheck({ allowAdditions: true }), unique('event_id')],
  materialize: (ctx) => {
    const rows = shop().webEvents;
    const approxBytes = Buffer.byteLength(JSON.stringify(rows));
    ctx.metadata({
      rows: rows.length,
      approx_bytes: approxBytes,
      first_event: rows[0]?.occurredAt ?? '',
      last_event: rows.at(-1)?.occurredAt ?? '',
    });
    ctx.log.info('collected clickstream', { rows: rows.length, approxBytes });
    return table.fromRows(WEB_EVENT_COLUMNS, rows.map(snakeCased));
  },
});

/**
 * Daily FX rates published by the finance team's vendor. Weir never materializes a source
 * asset: the vendor feed is *observed* (through the API or a sensor), and consumers receive
 * the latest observation, or `undefined` if there has not been one yet.
 * Expected observation metadata: EUR per unit, e.g. `{ "USD": 0.92, "GBP": 1.17 }`.
 */
export const fxRates = sourceAsset({
  key: 'vendor/fx_rates',
  group: 'bronze',
  owners: ['team:finance-data'],
  description: 'Daily EUR reference rates from the FX vendor (external; observed, not materialized).',
});
