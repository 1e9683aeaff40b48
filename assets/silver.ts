// Silver: cleaned, deduplicated, conformed. One trustworthy row per business entity, with
// money in one currency, so gold assets can join and aggregate without repeating the cleanup.
import { asset, NonRetryableError } from 'weir';
import { fxRates, rawCustomers, rawOrderLines, rawOrders, rawProducts, rawWebEvents } from './bronze.js';
import type { Currency, OrderStatus } from './data/schema.js';
import { resolveRates } from './lib/fx.js';
import { groupBy, round2 } from './lib/util.js';

const owners = ['team:data-platform', 'alice@example.com'];

export interface Customer {
  customerId: string;
  fullName: string;
  email: string;
  country: string;
  segment: 'consumer' | 'business';
  marketingOptIn: boolean;
  signedUpAt: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[a-z]{2,}$/;

export const customers = asset({
  key: 'silver/customers',
  group: 'silver',
  owners,
  tags: ['pii'],
  description: 'One row per customer: latest CRM version wins, emails trimmed and lower-cased, invalid emails dropped.',
  codeVersion: 'v3',
  deps: { raw: rawCustomers },
  materialize: (ctx, { raw }): Customer[] => {
    // The CRM exports every version of a customer; keep the newest one per id.
    const latest = new Map<string, (typeof raw)[number]>();
    for (const row of raw) {
      const seen = latest.get(row.customerId);
      if (!seen || row.updatedAt > seen.updatedAt) latest.set(row.customerId, row);
    }
    const rows: Customer[] = [];
    let invalidEmails = 0;
    for (const c of latest.values()) {
      const email = c.email.trim().toLowerCase();
      if (!EMAIL.test(email)) {
        invalidEmails++;
        continue;
      }
      const { customerId, country, segment, marketingOptIn, signedUpAt } = c;
      rows.push({
        customerId,
        fullName: `${c.firstName} ${c.lastName}`,
        email,
        country,
        segment,
        marketingOptIn,
        signedUpAt,
      });
    }
    const duplicates = raw.length - latest.size;
    // Counts only: never log the emails themselves, they are PII.
    ctx.log.info('deduplicated customers', { input: raw.length, output: rows.length, duplicates, invalidEmails });
    ctx.metadata({ rows: rows.length, duplicates_removed: duplicates, invalid_emails: invalidEmails });
    return rows;
  },
});

export interface OrderLine {
  sku: string;
  quantity: number;
  revenueEur: number;
  costEur: number;
}

export interface Order {
  orderId: string;
  customerId: string;
  orderedAt: string;
  /** `YYYY-MM-DD` in UTC, for daily rollups. */
  orderDate: string;
  status: Exclude<OrderStatus, 'test'>;
  currency: Currency;
  amount: number;
  amountEur: number;
  costEur: number;
  lines: OrderLine[];
}

/**
 * Fan-in at silver: orders + lines + catalog + FX rates become one conformed order row.
 * Every input below is typed from its upstream's return type, e.g. `orders[0].amount` is a
 * number and `products[0].unitCostEur` too, with no casts.
 */
export const orders = asset({
  key: 'silver/orders',
  group: 'silver',
  owners,
  description: 'Orders without test traffic, with their lines, converted to EUR, with cost of goods from the catalog.',
  codeVersion: 'v4',
  deps: { orders: rawOrders, lines: rawOrderLines, products: rawProducts, fx: fxRates },
  materialize: (ctx, inputs): Order[] => {
    const { rates, source } = resolveRates(inputs.fx, ctx.log);
    const catalog = new Map(inputs.products.map((p) => [p.sku, p]));

    // A line pointing at an unknown SKU means the catalog and order extracts are out of sync.
    // Retrying cannot fix that, so fail at once (NonRetryableError skips the retry policy).
    const orphans = inputs.lines.filter((l) => !catalog.has(l.sku));
    if (orphans.length > 0) {
      throw new NonRetryableError(
        `${orphans.length} order lines reference SKUs missing from bronze/products (first: ${orphans[0]!.sku} in ${orphans[0]!.orderId})`,
      );
    }

    const linesByOrder = groupBy(inputs.lines, (l) => l.orderId);

    const rows: Order[] = [];
    let testOrders = 0;
    let amountMismatches = 0;
    for (const order of inputs.orders) {
      if (order.status === 'test') {
        testOrders++;
        continue;
      }
      const rate = rates[order.currency];
      const lines = (linesByOrder.get(order.orderId) ?? []).map((l) => ({
        sku: l.sku,
        quantity: l.quantity,
        revenueEur: round2(l.unitPrice * l.quantity * rate),
        costEur: round2(catalog.get(l.sku)!.unitCostEur * l.quantity),
      }));
      const lineTotal = lines.reduce((sum, l) => sum + l.revenueEur, 0);
      if (Math.abs(lineTotal - order.amount * rate) > 0.05 * lines.length) amountMismatches++;
      rows.push({
        orderId: order.orderId,
        customerId: order.customerId,
        orderedAt: order.orderedAt,
        orderDate: order.orderedAt.slice(0, 10),
        status: order.status,
        currency: order.currency,
        amount: order.amount,
        amountEur: round2(order.amount * rate),
        costEur: round2(lines.reduce((sum, l) => sum + l.costEur, 0)),
        lines,
      });
    }
    if (amountMismatches > 0)
      ctx.log.warn('order totals differ from the sum of their lines', { orders: amountMismatches });
    ctx.log.info('conformed orders', {
      input: inputs.orders.length,
      output: rows.length,
      testOrders,
      fxSource: source,
    });
    ctx.metadata({
      rows: rows.length,
      test_orders_dropped: testOrders,
      amount_mismatches: amountMismatches,
      fx_source: source,
    });
    return rows;
  },
});

export interface Session {
  sessionId: string;
  visitorId: string;
  customerId: string | null;
  startedAt: string;
  durationSeconds: number;
  events: number;
  device: string;
  utmSource: string | null;
  productViews: string[];
  addedToCart: string[];
  checkedOut: boolean;
}

/** The usual web-analytics rule: 30 minutes of inactivity ends a session. */
const SESSION_GAP_MS = 30 * 60_000;

export const sessions = asset({
  key: 'silver/sessions',
  group: 'silver',
  owners,
  description: 'Web events stitched into sessions per visitor (30-minute inactivity gap).',
  codeVersion: 'v2',
  deps: { events: rawWebEvents },
  materialize: (ctx, { events }): Session[] => {
    // bronze/web_events arrives sorted by time, so a single pass per visitor is enough.
    const open = new Map<string, { session: Session; lastMs: number }>();
    const rows: Session[] = [];
    for (const e of events) {
      const at = Date.parse(e.occurredAt);
      let current = open.get(e.visitorId);
      if (!current || at - current.lastMs > SESSION_GAP_MS) {
        const session: Session = {
          sessionId: `${e.visitorId}#${rows.length + 1}`,
          visitorId: e.visitorId,
          customerId: e.customerId,
          startedAt: e.occurredAt,
          durationSeconds: 0,
          events: 0,
          device: e.device,
          utmSource: e.utmSource,
          productViews: [],
          addedToCart: [],
          checkedOut: false,
        };
        rows.push(session);
        current = { session, lastMs: at };
        open.set(e.visitorId, current);
      }
      const s = current.session;
      s.events++;
      s.durationSeconds = Math.round((at - Date.parse(s.startedAt)) / 1000);
      if (e.type === 'product_view' && e.sku) s.productViews.push(e.sku);
      if (e.type === 'add_to_cart' && e.sku) s.addedToCart.push(e.sku);
      if (e.type === 'checkout') s.checkedOut = true;
      current.lastMs = at;
    }
    const converted = rows.filter((s) => s.checkedOut).length;
    ctx.log.info('sessionized clickstream', { events: events.length, sessions: rows.length, converted });
    ctx.metadata({
      rows: rows.length,
      events: events.length,
      conversion_rate: round2(converted / Math.max(rows.length, 1)),
    });
    return rows;
  },
});
