// Silver: cleaned, deduplicated, conformed. One trustworthy row per business entity, with
// money in one currency, so gold assets can join and aggregate without repeating the cleanup.
//
// Every silver asset is a DuckDB query over the bronze Parquet tables (`${raw}` reads a table in
// place): the rows never become JS objects, and DuckDB writes the result as Parquet itself.
import { asset, column, NonRetryableError, notNull, schemaCheck, table, unique } from 'weir';
import { fxRates, rawCustomers, rawOrderLines, rawOrders, rawProducts, rawWebEvents } from './bronze.js';
import { resolveRates } from './lib/fx.js';
import { round2 } from './lib/util.js';

const owners = ['team:data-platform', 'alice@example.com'];

/** The email rule, as a DuckDB (RE2) pattern matched against the whole trimmed, lower-cased email. */
const EMAIL = String.raw`[^\s@]+@[^\s@]+\.[a-z]{2,}`;

export const customers = asset({
  key: 'silver/customers',
  group: 'silver',
  owners,
  tags: ['pii'],
  description: 'One row per customer: latest CRM version wins, emails trimmed and lower-cased, invalid emails dropped.',
  codeVersion: 'v4',
  deps: { raw: rawCustomers },
  checks: [schemaCheck({ allowAdditions: true }), unique('customer_id'), notNull('email')],
  materialize: async (ctx, { raw }) => {
    // The CRM exports every version of a customer: the newest one per id wins, then invalid
    // emails are dropped (QUALIFY filters after the window, so in that order).
    const latest = `row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) = 1`;
    const valid = `regexp_full_match(lower(trim(email)), '${EMAIL}')`;
    const [stats] = await raw.query<{ input: number; latest: number; invalid: number }>(`
      SELECT (SELECT count(*) FROM ${raw}) AS input, count(*) AS latest, count(*) FILTER (WHERE NOT ${valid}) AS invalid
        FROM (SELECT email FROM ${raw} QUALIFY ${latest})`);
    const { input, invalid } = stats!;
    const duplicates = input - stats!.latest;
    // Counts only: never log the emails themselves, they are PII.
    ctx.log.info('deduplicated customers', {
      input,
      output: stats!.latest - invalid,
      duplicates,
      invalidEmails: invalid,
    });
    ctx.metadata({ duplicates_removed: duplicates, invalid_emails: invalid });
    return table.fromQuery(`
      SELECT customer_id, first_name || ' ' || last_name AS full_name, lower(trim(email)) AS email,
             country, segment, marketing_opt_in, signed_up_at
        FROM ${raw}
     QUALIFY ${latest} AND ${valid}
       ORDER BY customer_id`);
  },
});

/**
 * Fan-in at silver: orders + lines + catalog + FX rates become one conformed order row, its
 * lines nested as a list of structs. The FX rates come from an observation (JS), the rest is
 * one DuckDB join of three bronze tables.
 */
export const orders = asset({
  key: 'silver/orders',
  group: 'silver',
  owners,
  description: 'Orders without test traffic, with their lines, converted to EUR, with cost of goods from the catalog.',
  codeVersion: 'v5',
  deps: { orders: rawOrders, lines: rawOrderLines, products: rawProducts, fx: fxRates },
  checks: [schemaCheck({ allowAdditions: true }), unique('order_id')],
  materialize: async (ctx, inputs) => {
    const { orders, lines, products } = inputs;
    const { rates, source } = resolveRates(inputs.fx, ctx.log);
    const rate = `CASE o.currency WHEN 'USD' THEN ${rates.USD} WHEN 'GBP' THEN ${rates.GBP} ELSE ${rates.EUR} END`;

    // A line pointing at an unknown SKU means the catalog and order extracts are out of sync.
    // Retrying cannot fix that, so fail at once (NonRetryableError skips the retry policy).
    const orphans = await lines.query<{ sku: string; order_id: string }>(
      `SELECT l.sku, l.order_id FROM ${lines} l ANTI JOIN ${products} p USING (sku) ORDER BY l.order_id, l.line_no`,
    );
    if (orphans.length > 0) {
      throw new NonRetryableError(
        `${orphans.length} order lines reference SKUs missing from bronze/products (first: ${orphans[0]!.sku} in ${orphans[0]!.order_id})`,
      );
    }
    const [stats] = await orders.query<{ input: number; test_orders: number; mismatches: number }>(`
      SELECT count(*) AS input, count(*) FILTER (WHERE status = 'test') AS test_orders,
             count(*) FILTER (WHERE status <> 'test' AND abs(line_total - amount) * rate > 0.05 * lines) AS mismatches
        FROM (SELECT o.status, o.amount, ${rate} AS rate, count(l.sku) AS lines,
                     coalesce(sum(l.unit_price * l.quantity), 0) AS line_total
                FROM ${orders} o LEFT JOIN ${lines} l USING (order_id) GROUP BY ALL)`);
    const { input, test_orders: testOrders, mismatches } = stats!;
    if (mismatches > 0) ctx.log.warn('order totals differ from the sum of their lines', { orders: mismatches });
    ctx.log.info('conformed orders', { input, output: input - testOrders, testOrders, fxSource: source });
    ctx.metadata({ test_orders_dropped: testOrders, amount_mismatches: mismatches, fx_source: source });
    return table.fromQuery(`
      SELECT o.order_id, o.customer_id, o.ordered_at, o.ordered_at::DATE AS order_date, o.status, o.currency,
             o.amount, round(o.amount * ${rate}, 2) AS amount_eur,
             round(coalesce(sum(round(p.unit_cost_eur * l.quantity, 2)), 0), 2) AS cost_eur,
             coalesce(list({ sku: l.sku, quantity: l.quantity,
                             revenue_eur: round(l.unit_price * l.quantity * ${rate}, 2),
                             cost_eur: round(p.unit_cost_eur * l.quantity, 2) } ORDER BY l.line_no)
                      FILTER (WHERE l.sku IS NOT NULL), []) AS lines
        FROM ${orders} o
        LEFT JOIN ${lines} l ON l.order_id = o.order_id
        LEFT JOIN ${products} p ON p.sku = l.sku
       WHERE o.status <> 'test'
       GROUP BY o.order_id, o.customer_id, o.ordered_at, o.status, o.currency, o.amount
       ORDER BY o.ordered_at, o.order_id`);
  },
});

/** The usual web-analytics rule: 30 minutes of inactivity ends a session. */
const SESSION_GAP = `INTERVAL 30 MINUTE`;

export const sessions = asset({
  key: 'silver/sessions',
  group: 'silver',
  owners,
  description: 'Web events stitched into sessions per visitor (30-minute inactivity gap).',
  codeVersion: 'v3',
  deps: { events: rawWebEvents },
  // Derived lineage covers plain SELECTs only; this one nests windows, so it says where its columns come from.
  columnLineage: {
    session_id: [column(rawWebEvents, 'visitor_id'), column(rawWebEvents, 'occurred_at')],
    visitor_id: [column(rawWebEvents, 'visitor_id')],
    customer_id: [column(rawWebEvents, 'customer_id')],
    started_at: [column(rawWebEvents, 'occurred_at')],
    duration_seconds: [column(rawWebEvents, 'occurred_at')],
    product_views: [column(rawWebEvents, 'sku'), column(rawWebEvents, 'type')],
    added_to_cart: [column(rawWebEvents, 'sku'), column(rawWebEvents, 'type')],
    checked_out: [column(rawWebEvents, 'type')],
  },
  checks: [unique('session_id'), notNull('visitor_id')],
  materialize: async (ctx, { events }) => {
    // A session starts at a visitor's first event and at every event more than the gap after
    // the previous one; a running sum of those starts numbers the visitor's sessions.
    const ordered = `PARTITION BY visitor_id ORDER BY occurred_at, event_id`;
    const first = (col: string) => `first(${col} ORDER BY occurred_at, event_id)`;
    const sessionsSql = `
      SELECT visitor_id || '#' || row_number() OVER (ORDER BY started_at, first_event) AS session_id,
             visitor_id, customer_id, started_at, duration_seconds, events, device, utm_source,
             product_views, added_to_cart, checked_out
        FROM (SELECT visitor_id, session_no, min(occurred_at) AS started_at, min(event_id) AS first_event,
                     round((epoch_ms(max(occurred_at)) - epoch_ms(min(occurred_at))) / 1000)::INTEGER AS duration_seconds,
                     count(*)::INTEGER AS events, ${first('customer_id')} AS customer_id,
                     ${first('device')} AS device, ${first('utm_source')} AS utm_source,
                     coalesce(list(sku ORDER BY occurred_at, event_id) FILTER (WHERE type = 'product_view' AND sku IS NOT NULL), []) AS product_views,
                     coalesce(list(sku ORDER BY occurred_at, event_id) FILTER (WHERE type = 'add_to_cart' AND sku IS NOT NULL), []) AS added_to_cart,
                     bool_or(type = 'checkout') AS checked_out
                FROM (SELECT *, sum(starts::INTEGER) OVER (${ordered}) AS session_no
                        FROM (SELECT *, coalesce(occurred_at - lag(occurred_at) OVER (${ordered}) > ${SESSION_GAP}, true) AS starts
                                FROM ${events}))
               GROUP BY visitor_id, session_no)
       ORDER BY started_at, first_event`;
    const [stats] = await events.query<{ events: number; sessions: number; converted: number }>(`
      SELECT (SELECT count(*) FROM ${events}) AS events, count(*) AS sessions,
             count(*) FILTER (WHERE checked_out) AS converted FROM (${sessionsSql})`);
    const { sessions: count, converted } = stats!;
    ctx.log.info('sessionized clickstream', { events: stats!.events, sessions: count, converted });
    ctx.metadata({ events: stats!.events, conversion_rate: round2(converted / Math.max(count, 1)) });
    return table.fromQuery(sessionsSql);
  },
});
