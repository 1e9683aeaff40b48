/**
 * Benchmark: a table of WEIR_BENCH_TABLE_ROWS rows (default 10M; a few numeric and string
 * columns) produced by DuckDB, stored as Parquet in the filesystem store, and read by a
 * downstream aggregation, through Weir (the engine on embedded PGlite, both steps in
 * worker-thread isolates) — beside DuckDB alone doing the same COPY and aggregation in a
 * fresh process. Prints wall time and peak RSS of each process tree, their ratios, and
 * whether the goals hold (Weir ≥ 0.5x DuckDB's throughput, peak RSS < 512 MiB).
 *
 *   node dist/bench/tables.bench.js
 *   WEIR_BENCH_TABLE_ROWS=1000000 node dist/bench/tables.bench.js
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { queryRows, sqlString, withConnection } from '../src/tables/duckdb-session.js';
import { createScratchDatabase, dropScratchDatabase, isMainModule } from './bench-support.js';
import { measureProjectRun } from './project-run.js';
import {
  childMeasurementName,
  kibToMib,
  reportMeasurement,
  runChildMeasurement,
  seconds,
  type ChildMeasurement,
} from './child-measurement.js';
import { peakRssKiB } from './generated-payload.js';
import { tableBenchAggregation, tableBenchQuery } from './tables-bench-sql.js';

const RSS_GOAL_MIB = 512;
const THROUGHPUT_GOAL = 0.5;

interface ChildResult {
  readonly ms: number;
  readonly rows: number;
  readonly total: number;
  readonly parquetBytes: number;
  readonly maxRssKiB: number;
  /** Resident memory once the engine was open (PGlite, isolates warmed), before the run. */
  readonly openRssKiB: number;
}

function tableRows(): number {
  const raw = process.env.WEIR_BENCH_TABLE_ROWS ?? '10000000';
  const rows = Number(raw);
  if (!Number.isSafeInteger(rows) || rows <= 0) {
    throw new Error(`WEIR_BENCH_TABLE_ROWS must be a positive whole number, got "${raw}"`);
  }
  return rows;
}

/** Runs both measurements, each in its own process, and prints the figures and ratios. */
export async function benchTables(): Promise<void> {
  const rows = tableRows();
  const env = { WEIR_BENCH_TABLE_ROWS: String(rows) };
  let alone = await runChildMeasurement<ChildResult>(import.meta.url, 'duckdb', env);
  // Judged on PostgreSQL (a server outside the tree, as for `weir worker`); embedded PGlite
  // lives in the process and costs a fixed amount whatever the table, printed beside.
  const databaseUrl = await createScratchDatabase();
  let weir: ChildMeasurement<ChildResult>;
  try {
    weir = await runChildMeasurement<ChildResult>(import.meta.url, 'weir', { ...env, WEIR_DATABASE_URL: databaseUrl });
  } finally {
    await dropScratchDatabase(databaseUrl);
  }
  const pglite = await runChildMeasurement<ChildResult>(import.meta.url, 'weir', { ...env, WEIR_DATABASE_URL: '' });
  // The baseline again, after: on a shared machine the faster of the two is the fairer figure.
  const again = await runChildMeasurement<ChildResult>(import.meta.url, 'duckdb', env);
  if (again.result.ms < alone.result.ms) alone = again;
  for (const run of [weir, pglite]) {
    if (run.result.rows !== rows || run.result.total !== alone.result.total) {
      throw new Error(`Weir's aggregation (${run.result.rows} rows, total ${run.result.total}) differs from DuckDB's`);
    }
  }
  const tree = (run: ChildMeasurement<ChildResult>) => Math.max(run.treePeakRssKiB, run.result.maxRssKiB);
  const throughput = alone.result.ms / weir.result.ms;
  const weirTree = tree(weir);
  const label = `${(rows / 1e6).toLocaleString('en-US')}M rows`;
  console.log(
    `table of ${label} (5 columns, Parquet ${kibToMib(weir.result.parquetBytes / 1024)}) produced by DuckDB → stored → downstream aggregation, through Weir (isolated steps, metadata on PostgreSQL): ` +
      `${seconds(weir.result.ms)} (${Math.round(rows / (weir.result.ms / 1000)).toLocaleString('en-US')} rows/s); peak RSS of the process tree ${kibToMib(weirTree)}, of which ${kibToMib(weir.result.openRssKiB)} before the run (engine and isolates)`,
  );
  console.log(
    `  embedded PGlite (weir dev): ${seconds(pglite.result.ms)}; peak RSS of the process tree ${kibToMib(tree(pglite))}, ` +
      `of which ${kibToMib(pglite.result.openRssKiB)} before the run (PGlite's in-process database; growth during the run ` +
      `${kibToMib(tree(pglite) - pglite.result.openRssKiB)})`,
  );
  console.log(
    `  DuckDB alone, same COPY and aggregation (faster of a run before and one after): ${seconds(alone.result.ms)} ` +
      `(${Math.round(rows / (alone.result.ms / 1000)).toLocaleString('en-US')} rows/s); peak RSS ${kibToMib(tree(alone))}`,
  );
  console.log(
    `  ratios: throughput ${throughput.toFixed(2)}x DuckDB (goal ≥ ${THROUGHPUT_GOAL}x: ${throughput >= THROUGHPUT_GOAL ? 'met' : 'NOT met'}); ` +
      `peak RSS ${(weirTree / tree(alone)).toFixed(1)}x DuckDB's (goal < ${RSS_GOAL_MIB} MiB: ${weirTree < RSS_GOAL_MIB * 1024 ? 'met' : 'NOT met'})`,
  );
}

async function runWeir(): Promise<ChildResult> {
  const relative = import.meta.url.includes('/dist/bench/')
    ? '../../bench/tables-project/index.ts'
    : './tables-project/index.ts';
  return measureProjectRun(fileURLToPath(new URL(relative, import.meta.url)), 'tables/*', async (run) => {
    const wide = await run.materialization('tables/wide');
    const out = (await run.materialization('tables/totals')).outputInline as { n: number; total: number };
    return {
      ms: run.ms,
      rows: out.n,
      total: out.total,
      parquetBytes: wide.outputSize,
      maxRssKiB: peakRssKiB(),
      openRssKiB: run.openRssKiB,
    };
  });
}

async function runDuckdbAlone(): Promise<ChildResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'weir-bench-tables-duckdb-'));
  try {
    const file = path.join(dir, 'wide.parquet');
    const start = performance.now();
    const [out] = await withConnection(async (connection) => {
      await connection.run(
        `COPY (${tableBenchQuery(tableRows())}) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd)`,
      );
      return queryRows(connection, tableBenchAggregation(`read_parquet(${sqlString(file)})`));
    });
    const ms = performance.now() - start;
    const { size } = await import('node:fs').then((fs) => fs.statSync(file));
    return {
      ms,
      rows: Number(out!.n),
      total: Number(out!.total),
      parquetBytes: size,
      maxRssKiB: peakRssKiB(),
      openRssKiB: 0,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (isMainModule(import.meta.url)) {
  const child = childMeasurementName();
  if (child === 'weir') reportMeasurement(await runWeir());
  else if (child === 'duckdb') reportMeasurement(await runDuckdbAlone());
  else if (child !== undefined) throw new Error(`Unknown --child=${child}; expected weir or duckdb`);
  else await benchTables();
}
