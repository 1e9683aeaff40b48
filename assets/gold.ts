// Gold: business-facing tables and files, one per question a stakeholder asks.
// They read silver (and, where it is the source of truth, bronze) and never re-clean data.
// Silver and bronze are Parquet tables: each gold asset aggregates them in DuckDB
// (`orders.query(sql)` with `${orders}` in the SQL) and gets back only the small result.
import { asset, check, dailyPartitions, deadline, maxLag, NonRetryableError } from 'weir';
import { rawProducts } from './bronze.js';
import { REFERENCE_DATE } from './data/schema.js';
import { DAY_MS, groupBy, round2 } from './lib/util.js';
import { customers, orders, sessions } from './silver.js';

/** Cancelled orders earn nothing; every other status counts as sold. */
const KEPT = `status <> 'cancelled'`;

const analytics = ['team:analytics', 'bob@example.com'];

export interface DailyRevenue {
  date: string;
  orders: number;
  cancelled: number;
  revenueEur: number;
  marginEur: number;
  avgOrderValueEur: number;
}

export const dailyRevenue = asset({
  key: 'gold/daily_revenue',
  group: 'gold',
  owners: analytics,
  tags: { tier: 'gold', domain: 'finance' },
  description:
    'Revenue, margin and average order value per day (EUR, cancelled orders excluded). Feeds the finance dashboard.',
  codeVersion: 'v2',
  // Finance opens the dashboard at 09:30 Paris time and wants it refreshed after 09:00 that
  // day (with yesterday's orders). `weir freshness` shows where it stands.
  freshness: deadline({ cron: '0 9 * * *', maxLag: '30m', timezone: 'Europe/Paris' }),
  deps: { orders },
  materialize: async (ctx, { orders }): Promise<DailyRevenue[]> => {
    const rows = await orders.query<DailyRevenue>(`
      SELECT strftime(order_date, '%Y-%m-%d') AS date,
             count(*) FILTER (WHERE ${KEPT}) AS orders, count(*) FILTER (WHERE NOT ${KEPT}) AS cancelled,
             round(coalesce(sum(amount_eur) FILTER (WHERE ${KEPT}), 0), 2) AS "revenueEur",
             round(coalesce(sum(amount_eur - cost_eur) FILTER (WHERE ${KEPT}), 0), 2) AS "marginEur"
        FROM ${orders} GROUP BY order_date ORDER BY order_date`);
    // Zero orders is never a real quiet day for this shop: it means an empty extract upstream.
    // Publishing a flat line to the finance dashboard would be worse than failing, and a retry
    // would read the same empty input, so fail without retrying.
    if (rows.length === 0) {
      throw new NonRetryableError('silver/orders is empty: refusing to publish a zero-revenue day');
    }
    for (const d of rows) d.avgOrderValueEur = d.orders > 0 ? round2(d.revenueEur / d.orders) : 0;
    const total = round2(rows.reduce((sum, d) => sum + d.revenueEur, 0));
    ctx.log.info('rolled up revenue', {
      days: rows.length,
      firstDay: rows[0]?.date,
      lastDay: rows.at(-1)?.date,
      totalEur: total,
    });
    ctx.metadata({ rows: rows.length, total_revenue_eur: total });
    return rows;
  },
  // Blocking: a negative day means refunds or FX went wrong upstream, and finance must not see it.
  checks: [
    check(
      'no negative revenue',
      (_ctx, rows: DailyRevenue[]) => {
        const negative = rows.filter((d) => d.revenueEur < 0);
        return {
          passed: negative.length === 0,
          message: negative.length > 0 ? `${negative.length} day(s) below zero, first ${negative[0]!.date}` : undefined,
          metadata: { negative_days: negative.length },
        };
      },
      { description: 'Every day has a revenue of at least 0 EUR.' },
    ),
  ],
});

export interface DailyOrders {
  date: string;
  orders: number;
  cancelled: number;
  buyers: number;
  revenueEur: number;
}

/**
 * Partitioned: one partition per day (UTC), each computed on its own from that day's orders.
 * `weir materialize '*'` computes the latest day; `weir backfill gold/daily_orders --from
 * 2025-04-01 --to 2025-06-29` computes the whole history, four days at a time, and resumes
 * where it stopped if interrupted.
 */
export const dailyOrders = asset({
  key: 'gold/daily_orders',
  group: 'gold',
  owners: analytics,
  tags: { tier: 'gold', domain: 'sales' },
  description: "One partition per day: that day's orders, cancellations, distinct buyers and revenue (EUR).",
  codeVersion: 'v1',
  // The generated shop's history: the 90 days before the reference date. A live shop would
  // leave `end` out, and the set would grow by a partition every day.
  partitions: dailyPartitions({ start: '2025-04-01', end: REFERENCE_DATE.slice(0, 10) }),
  // An unpartitioned upstream: each day reads its latest materialization.
  deps: { orders },
  materialize: async (ctx, { orders }): Promise<DailyOrders> => {
    const day = ctx.partition!;
    const [counts] = await orders.query<Omit<DailyOrders, 'date'> & { all: number }>(`
      SELECT count(*) AS all, count(*) FILTER (WHERE ${KEPT}) AS orders, count(*) FILTER (WHERE NOT ${KEPT}) AS cancelled,
             count(DISTINCT customer_id) FILTER (WHERE ${KEPT}) AS buyers,
             round(coalesce(sum(amount_eur) FILTER (WHERE ${KEPT}), 0), 2) AS "revenueEur"
        FROM ${orders} WHERE order_date = '${day}'::DATE`);
    const { all, ...figures } = counts!;
    ctx.log.info('counted the day', { day, orders: figures.orders, buyers: figures.buyers });
    ctx.metadata({ rows: all, revenue_eur: figures.revenueEur, buyers: figures.buyers });
    return { date: day, ...figures };
  },
});

export interface CustomerProfile {
  customerId: string;
  fullName: string;
  email: string;
  country: string;
  orders: number;
  lifetimeValueEur: number;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  webSessions: number;
  lifecycle: 'champion' | 'loyal' | 'at_risk' | 'new' | 'occasional' | 'prospect';
}

/** Lifecycle labels the CRM team uses for campaigns; "today" is the data's reference date. */
function lifecycleOf(
  orderCount: number,
  firstOrderAt: string | null,
  lastOrderAt: string | null,
): CustomerProfile['lifecycle'] {
  if (!firstOrderAt || !lastOrderAt) return 'prospect';
  const daysSince = (iso: string) => (Date.parse(REFERENCE_DATE) - Date.parse(iso)) / DAY_MS;
  if (orderCount >= 5 && daysSince(lastOrderAt) <= 30) return 'champion';
  if (orderCount >= 3) return daysSince(lastOrderAt) <= 60 ? 'loyal' : 'at_risk';
  return daysSince(firstOrderAt) <= 30 ? 'new' : 'occasional';
}

/** Fan-in: customers, their orders and their web sessions joined into one profile per customer. */
export const customer360 = asset({
  key: 'gold/customer_360',
  group: 'gold',
  owners: ['team:crm-analytics', 'alice@example.com'],
  tags: { tier: 'gold', pii: 'email' },
  description: 'One profile per customer: lifetime value, order history, web activity and lifecycle segment.',
  codeVersion: 'v3',
  // Campaigns are planned from it every day: warn at 12 hours old, late at a day.
  freshness: maxLag('1d', { warn: '12h' }),
  deps: { customers, orders, sessions },
  materialize: async (ctx, { customers, orders, sessions }): Promise<CustomerProfile[]> => {
    const iso = (ts: string) => `strftime(${ts}, '%Y-%m-%dT%H:%M:%S.%gZ')`;
    const joined = await customers.query<Omit<CustomerProfile, 'lifecycle'>>(`
      SELECT c.customer_id AS "customerId", c.full_name AS "fullName", c.email, c.country,
             count(o.order_id) AS orders, round(coalesce(sum(o.amount_eur), 0), 2) AS "lifetimeValueEur",
             ${iso('min(o.ordered_at)')} AS "firstOrderAt", ${iso('max(o.ordered_at)')} AS "lastOrderAt",
             coalesce(s.sessions, 0) AS "webSessions"
        FROM ${customers} c
        LEFT JOIN ${orders} o ON o.customer_id = c.customer_id AND o.${KEPT}
        LEFT JOIN (SELECT customer_id, count(*) AS sessions FROM ${sessions}
                    WHERE customer_id IS NOT NULL GROUP BY customer_id) s ON s.customer_id = c.customer_id
       GROUP BY c.customer_id, c.full_name, c.email, c.country, s.sessions
       ORDER BY c.customer_id`);
    const rows = joined.map((c): CustomerProfile => ({
      ...c,
      lifecycle: lifecycleOf(c.orders, c.firstOrderAt, c.lastOrderAt),
    }));
    const bySegment = Object.fromEntries(
      [...groupBy(rows, (r) => r.lifecycle)].map(([k, v]) => [`lifecycle_${k}`, v.length]),
    );
    ctx.log.info('built customer profiles', { rows: rows.length, ...bySegment });
    ctx.metadata({ rows: rows.length, buyers: rows.filter((r) => r.orders > 0).length, ...bySegment });
    return rows;
  },
  // Blocking: the CRM sync keys on customerId; a profile without one would be sent to nobody.
  checks: [
    check('no null customer ids', (_ctx, rows: CustomerProfile[]) => {
      const missing = rows.filter((r) => !r.customerId).length;
      return { passed: missing === 0, metadata: { missing_ids: missing } };
    }),
  ],
});

export interface ProductPerformance {
  sku: string;
  name: string;
  category: string;
  views: number;
  addsToCart: number;
  unitsSold: number;
  revenueEur: number;
  marginEur: number;
  viewToCartRate: number;
}

/** Joins sales (silver) with web interest (silver) and the catalog (straight from bronze). */
export const productPerformance = asset({
  key: 'gold/product_performance',
  group: 'gold',
  owners: analytics,
  tags: { tier: 'gold', domain: 'merchandising' },
  description: 'Per product: views, adds to cart, units sold, revenue and margin in EUR.',
  codeVersion: 'v1',
  deps: { orders, sessions, products: rawProducts },
  materialize: async (ctx, { orders, sessions, products }): Promise<ProductPerformance[]> => {
    const interest = (list: string) =>
      `(SELECT sku, count(*) AS n FROM (SELECT unnest(${list}) AS sku FROM ${sessions}) GROUP BY sku)`;
    const rows = await products.query<ProductPerformance>(`
      SELECT p.sku, p.name, p.category, coalesce(v.n, 0) AS views, coalesce(c.n, 0) AS "addsToCart",
             coalesce(s.units, 0) AS "unitsSold", round(coalesce(s.revenue, 0), 2) AS "revenueEur",
             round(coalesce(s.margin, 0), 2) AS "marginEur",
             round(coalesce(c.n, 0) / greatest(coalesce(v.n, 0), 1), 2) AS "viewToCartRate"
        FROM ${products} p
        LEFT JOIN ${interest('product_views')} v ON v.sku = p.sku
        LEFT JOIN ${interest('added_to_cart')} c ON c.sku = p.sku
        LEFT JOIN (SELECT line.sku, sum(line.quantity) AS units, sum(line.revenue_eur) AS revenue,
                          sum(line.revenue_eur - line.cost_eur) AS margin
                     FROM (SELECT unnest(lines) AS line FROM ${orders} WHERE ${KEPT}) GROUP BY line.sku) s
               ON s.sku = p.sku
       ORDER BY "revenueEur" DESC, p.sku`);
    const unsold = rows.filter((p) => p.unitsSold === 0).length;
    ctx.log.info('scored products', { rows: rows.length, unsold, topSku: rows[0]?.sku });
    ctx.metadata({ rows: rows.length, unsold_products: unsold, top_sku: rows[0]?.sku ?? '' });
    return rows;
  },
  // A warning only: an odd rate is worth a look, not worth holding back the merchandising report.
  checks: [
    check(
      'conversion rate within [0, 1]',
      (_ctx, rows: ProductPerformance[]) => {
        const outside = rows.filter((p) => p.viewToCartRate < 0 || p.viewToCartRate > 1);
        return {
          passed: outside.length === 0,
          message: outside.length > 0 ? `${outside.length} product(s), e.g. ${outside[0]!.sku}` : undefined,
          metadata: { outside: outside.length },
        };
      },
      { severity: 'warn' },
    ),
  ],
});
