// Tables: the order lines and the catalog as Parquet tables, and a silver rollup that DuckDB
// computes from them in place (no rows pass through JS). Weir records each table's row count,
// schema (and its changes) and, for silver/sku_sales, which upstream columns each column reads.
import { asset, column, notNull, rowCount, schemaCheck, table, unique } from 'weir';
import { shop } from './data/generate.js';

const owners = ['team:data-platform'];

export const orderLinesTable = asset({
  key: 'bronze/order_lines_table',
  group: 'bronze',
  owners,
  description: 'Order lines from the order database replica, as a Parquet table.',
  codeVersion: 'v1',
  checks: [schemaCheck({ allowAdditions: true }), notNull('order_id'), rowCount({ min: 1 })],
  materialize: () =>
    table.fromRows(
      { order_id: 'VARCHAR', line_no: 'INTEGER', sku: 'VARCHAR', quantity: 'INTEGER', unit_price: 'DOUBLE' },
      shop().orderLines.map((l) => ({
        order_id: l.orderId,
        line_no: l.lineNo,
        sku: l.sku,
        quantity: l.quantity,
        unit_price: l.unitPrice,
      })),
    ),
});

export const productsTable = asset({
  key: 'bronze/products_table',
  group: 'bronze',
  owners,
  description: 'The product catalog from the PIM, as a Parquet table.',
  codeVersion: 'v1',
  checks: [schemaCheck({ allowAdditions: true }), unique('sku')],
  materialize: () =>
    table.fromRows(
      { sku: 'VARCHAR', name: 'VARCHAR', category: 'VARCHAR', list_price_eur: 'DOUBLE', active: 'BOOLEAN' },
      shop().products.map((p) => ({
        sku: p.sku,
        name: p.name,
        category: p.category,
        list_price_eur: p.listPriceEur,
        active: p.active,
      })),
    ),
});

/** Units sold and list-price revenue per SKU, joined by DuckDB on the two Parquet tables. */
export const skuSales = asset({
  key: 'silver/sku_sales',
  group: 'silver',
  owners,
  description: 'Units and list-price revenue (EUR) per SKU, with its category: a DuckDB join of two tables.',
  codeVersion: 'v1',
  deps: { lines: orderLinesTable, products: productsTable },
  columnLineage: {
    sku: [column(orderLinesTable, 'sku')],
    category: [column(productsTable, 'category')],
    units: [column(orderLinesTable, 'quantity')],
    list_revenue_eur: [column(orderLinesTable, 'quantity'), column(productsTable, 'list_price_eur')],
  },
  checks: [unique('sku'), notNull('category')],
  materialize: (_ctx, { lines, products }) =>
    table.fromQuery(`
      SELECT l.sku, p.category, sum(l.quantity)::BIGINT AS units,
             round(sum(l.quantity * p.list_price_eur), 2) AS list_revenue_eur
        FROM ${lines} l JOIN ${products} p USING (sku)
       GROUP BY l.sku, p.category
       ORDER BY l.sku`),
});
