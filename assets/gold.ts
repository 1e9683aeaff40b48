// Gold: business-facing tables and files, one per question a stakeholder asks.
// They read silver (and, where it is the source of truth, bronze) and never re-clean data.
import { asset, check, dailyPartitions, deadline, maxLag, NonRetryableError } from 'weir';
import { rawProducts } from './bronze.js';
import { REFERENCE_DATE } from './data/schema.js';
import { DAY_MS, groupBy, round2 } from './lib/util.js';
import { customers, orders, sessions } from './silver.js';

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
  materialize: (ctx, { orders }): DailyRevenue[] => {
    // Zero orders is never a real quiet day for this shop: it means an empty extract upstream.
    // Publishing a flat line to the finance dashboard would be worse than failing, and a retry
    // would read the same empty input, so fail without retrying.
    if (orders.length === 0) {
      throw new NonRetryableError('silver/orders is empty: refusing to publish a zero-revenue day');
    }
    const byDay = new Map<string, DailyRevenue>();
    for (const o of orders) {
      const day = byDay.get(o.orderDate) ?? {
        date: o.orderDate,
        orders: 0,
        cancelled: 0,
        revenueEur: 0,
        marginEur: 0,
        avgOrderValueEur: 0,
      };
      if (o.status === 'cancelled') day.cancelled++;
      else {
        day.orders++;
        day.revenueEur += o.amountEur;
        day.marginEur += o.amountEur - o.costEur;
      }
      byDay.set(o.orderDate, day);
    }
    const rows = [...byDay.values()].sort((a, b) => a.date.localeCompare(b.date));
    for (const d of rows) {
      d.revenueEur = round2(d.revenueEur);
      d.marginEur = round2(d.marginEur);
      d.avgOrderValueEur = d.orders > 0 ? round2(d.revenueEur / d.orders) : 0;
    }
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
  materialize: (ctx, { orders }): DailyOrders => {
    const day = ctx.partition!;
    const ofDay = orders.filter((o) => o.orderDate === day);
    const kept = ofDay.filter((o) => o.status !== 'cancelled');
    const revenueEur = round2(kept.reduce((sum, o) => sum + o.amountEur, 0));
    const buyers = new Set(kept.map((o) => o.customerId)).size;
    ctx.log.info('counted the day', { day, orders: kept.length, buyers });
    ctx.metadata({ rows: ofDay.length, revenue_eur: revenueEur, buyers });
    return { date: day, orders: kept.length, cancelled: ofDay.length - kept.length, buyers, revenueEur };
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
  materialize: (ctx, { customers, orders, sessions }): CustomerProfile[] => {
    const ordersByCustomer = groupBy(
      orders.filter((o) => o.status !== 'cancelled'),
      (o) => o.customerId,
    );
    const sessionsByCustomer = new Map<string, number>();
    for (const s of sessions)
      if (s.customerId) sessionsByCustomer.set(s.customerId, (sessionsByCustomer.get(s.customerId) ?? 0) + 1);

    const rows = customers.map((c): CustomerProfile => {
      const mine = ordersByCustomer.get(c.customerId) ?? [];
      const firstOrderAt = mine.reduce<string | null>(
        (min, o) => (min === null || o.orderedAt < min ? o.orderedAt : min),
        null,
      );
      const lastOrderAt = mine.reduce<string | null>(
        (max, o) => (max === null || o.orderedAt > max ? o.orderedAt : max),
        null,
      );
      return {
        customerId: c.customerId,
        fullName: c.fullName,
        email: c.email,
        country: c.country,
        orders: mine.length,
        lifetimeValueEur: round2(mine.reduce((sum, o) => sum + o.amountEur, 0)),
        firstOrderAt,
        lastOrderAt,
        webSessions: sessionsByCustomer.get(c.customerId) ?? 0,
        lifecycle: lifecycleOf(mine.length, firstOrderAt, lastOrderAt),
      };
    });
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
  materialize: (ctx, { orders, sessions, products }): ProductPerformance[] => {
    const stats = new Map(
      products.map((p) => [
        p.sku,
        {
          sku: p.sku,
          name: p.name,
          category: p.category,
          views: 0,
          addsToCart: 0,
          unitsSold: 0,
          revenueEur: 0,
          marginEur: 0,
          viewToCartRate: 0,
        },
      ]),
    );
    for (const s of sessions) {
      for (const sku of s.productViews) if (stats.has(sku)) stats.get(sku)!.views++;
      for (const sku of s.addedToCart) if (stats.has(sku)) stats.get(sku)!.addsToCart++;
    }
    for (const o of orders) {
      if (o.status === 'cancelled') continue;
      for (const line of o.lines) {
        const p = stats.get(line.sku);
        if (!p) continue;
        p.unitsSold += line.quantity;
        p.revenueEur += line.revenueEur;
        p.marginEur += line.revenueEur - line.costEur;
      }
    }
    const rows = [...stats.values()]
      .map((p) => ({
        ...p,
        revenueEur: round2(p.revenueEur),
        marginEur: round2(p.marginEur),
        viewToCartRate: round2(p.addsToCart / Math.max(p.views, 1)),
      }))
      .sort((a, b) => b.revenueEur - a.revenueEur);
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
