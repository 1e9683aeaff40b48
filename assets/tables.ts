// A silver rollup that DuckDB computes from two bronze tables in place (no rows pass through
// JS), with the column lineage it declares: Weir records which upstream columns each column
// reads, and the asset page draws it.
import { asset, column, notNull, table, unique } from 'weir';
import { rawOrderLines, rawProducts } from './bronze.js';

/** Units sold and list-price revenue per SKU, joined by DuckDB on the two Parquet tables. */
export const skuSales = asset({
  key: 'silver/sku_sales',
  group: 'silver',
  owners: ['team:data-platform'],
  description: 'Units and list-price revenue (EUR) per SKU, with its category: a DuckDB join of two tables.',
  codeVersion: 'v2',
  deps: { lines: rawOrderLines, products: rawProducts },
  columnLineage: {
    sku: [column(rawOrderLines, 'sku')],
    category: [column(rawProducts, 'category')],
    units: [column(rawOrderLines, 'quantity')],
    list_revenue_eur: [column(rawOrderLines, 'quantity'), column(rawProducts, 'list_price_eur')],
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
