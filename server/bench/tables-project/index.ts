// The tables benchmark's project, loaded from disk as `weir dev` loads a user's project, so that
// its steps run in the worker-thread isolates: DuckDB writes a table of WEIR_BENCH_TABLE_ROWS
// rows as Parquet, and a downstream aggregation reads it in place.
import { asset, table } from 'weir';
import { tableBenchQuery, tableBenchAggregation } from '../tables-bench-sql.js';

const rows = Number(process.env.WEIR_BENCH_TABLE_ROWS ?? 10_000_000);

export const wide = asset({
  key: 'tables/wide',
  materialize: () => table.fromQuery(tableBenchQuery(rows)),
});

export const totals = asset({
  key: 'tables/totals',
  deps: { wide },
  materialize: async (_ctx, { wide: input }) => (await input.query(tableBenchAggregation(`${input}`)))[0]!,
});
