// An asset computed by a Python script: `ctx.exec` runs scripts/basket_stats.py, which reads the
// orders from a file, reports metadata and a check through plugins/weir-pipes-python, and logs
// to stdout, which lands in the run's log. Any program works the same way (dbt, spark-submit).
// The script needs nothing but Python: DuckDB writes the two columns it reads from the
// silver/orders table straight to a JSON file (no row passes through JS). A script that reads
// Parquet itself (pyarrow, duckdb, polars) would be given `inputs.orders.uris` instead.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asset, duckdb } from 'weir';
import { orders } from './silver.js';

const SCRIPT = fileURLToPath(new URL('./scripts/basket_stats.py', import.meta.url));
// The helper has no dependencies: putting its folder on PYTHONPATH is the whole installation.
const WEIR_PIPES = fileURLToPath(new URL('../plugins/weir-pipes-python', import.meta.url));

/** Basket statistics of the delivered orders, computed in Python. */
export const basketStats = asset({
  key: 'gold/basket_stats',
  group: 'gold',
  owners: ['team:analytics'],
  tags: { tier: 'gold', runtime: 'python' },
  description: 'Items per order and order-value quantiles, computed by a Python script through ctx.exec.',
  codeVersion: 'v2',
  deps: { orders },
  materialize: async (ctx, inputs) => {
    const dir = await mkdtemp(join(tmpdir(), 'weir-basket-'));
    try {
      const input = join(dir, 'orders.json');
      const db = await duckdb();
      try {
        await db.run(
          `COPY (SELECT amount_eur AS eur, len(lines) AS items FROM ${inputs.orders} ORDER BY order_id)
             TO '${input.replaceAll("'", "''")}' (FORMAT json, ARRAY true)`,
        );
      } finally {
        db.closeSync();
      }
      const { metadata } = await ctx.exec('python3', [SCRIPT, input], { env: { PYTHONPATH: WEIR_PIPES } });
      return metadata;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});
