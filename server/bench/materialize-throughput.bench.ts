/**
 * Benchmark: end-to-end no-op materializations per second through the real engine — the wiring
 * of `weir dev` (openWeir: WeirEngine, InProcessExecutor at the default concurrency of one step
 * per CPU, FilesystemObjectStore in a temp dir) — on embedded PGlite (in a temp data dir, as
 * `weir dev` keeps it on disk) and on PostgreSQL (a fresh `weir_bench_<random>` database on the
 * test server, dropped afterwards). Baseline measured in the same run: raw single-row INSERTs
 * with `pg`, one statement each, awaited in sequence, against the same PostgreSQL server.
 *
 *   npx tsx bench/materialize-throughput.bench.ts
 *   node dist/bench/materialize-throughput.bench.js        # compiled
 *   WEIR_BENCH_PG_STEPS=1000 WEIR_BENCH_PGLITE_STEPS=300 WEIR_BENCH_CHAIN_STEPS=50 ...  # other sizes
 *
 * Needs PostgreSQL (`bash .ci/provision.sh`); provisions nothing itself.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/weir-config.js';
import { openWeir, type OpenedWeir } from '../src/engine/open-weir.js';
import { AssetGraph } from '../src/graph/asset-graph.js';
import { asset, type AnyAsset } from '../src/sdk/asset.js';
import {
  checkPostgres,
  createScratchDatabase,
  dropScratchDatabase,
  isMainModule,
  sizeFromEnv,
} from './bench-support.js';

const RAW_INSERT_ROWS = 5_000;
const WARMUP_STEPS = 20;

interface Sizes {
  /** Independent no-op assets in the wide run on PostgreSQL. */
  readonly pgSteps: number;
  /** The same on PGlite: sized so the run takes roughly 5–20 s on a small machine. */
  readonly pgliteSteps: number;
  /** Length of the chain (each step depends on the previous one). */
  readonly chainSteps: number;
}

/** One measured run. */
interface RunFigures {
  readonly steps: number;
  readonly ms: number;
  /** SQL statements the engine sent during the run (incl. START TRANSACTION / COMMIT). */
  readonly statements: number;
  /** Transactions committed during the run. */
  readonly commits: number;
}

interface BackendFigures {
  readonly label: string;
  readonly wide: RunFigures;
  readonly chain: RunFigures;
  readonly concurrency: number;
}

interface RawInsertFigures {
  readonly rows: number;
  readonly ms: number;
}

/**
 * Materializes N independent no-op assets in one run, then a chain of sequential no-op assets,
 * on PGlite and on PostgreSQL; prints steps/s and per-step latency with their ratio to raw pg
 * single-row inserts measured in the same run.
 */
export async function benchMaterializeThroughput(): Promise<void> {
  const sizes: Sizes = {
    pgSteps: sizeFromEnv('WEIR_BENCH_PG_STEPS', 500),
    pgliteSteps: sizeFromEnv('WEIR_BENCH_PGLITE_STEPS', 500),
    chainSteps: sizeFromEnv('WEIR_BENCH_CHAIN_STEPS', 100),
  };
  // Before anything slow: fail at once, with the fix, when there is no server.
  const server = await checkPostgres();
  console.log(`metadata server: ${server}`);

  const databaseUrl = await createScratchDatabase();
  let raw: RawInsertFigures;
  let postgres: BackendFigures;
  try {
    raw = await measureRawInserts(databaseUrl, RAW_INSERT_ROWS);
    postgres = await measureEngine('PostgreSQL', databaseUrl, sizes.pgSteps, sizes.chainSteps);
  } finally {
    await dropScratchDatabase(databaseUrl);
  }
  const embedded = await measureEngine(
    'embedded (PGlite, temp dataDir)',
    undefined,
    sizes.pgliteSteps,
    sizes.chainSteps,
  );

  const rawPerSecond = raw.rows / (raw.ms / 1000);
  const rawLatencyMs = raw.ms / raw.rows;
  const labelWidth = Math.max(embedded.label.length, postgres.label.length);
  console.log(
    `engine: openWeir wiring, in-process executor at ${postgres.concurrency} steps at a time (CPU count), filesystem object store in a temp dir`,
  );
  for (const backend of [embedded, postgres]) {
    const { wide } = backend;
    const perSecond = wide.steps / (wide.ms / 1000);
    console.log(
      [
        `no-op materializations  ${backend.label.padEnd(labelWidth)}`,
        `${String(wide.steps).padStart(5)} steps`,
        seconds(wide.ms),
        `${fixed(perSecond).padStart(5)} steps/s`,
        `(${ratio(perSecond / rawPerSecond)} raw pg inserts)`,
        `${perStep(wide)}`,
      ].join('  '),
    );
  }
  for (const backend of [embedded, postgres]) {
    const { chain } = backend;
    const latencyMs = chain.ms / chain.steps;
    console.log(
      [
        `no-op chain (sequential) ${backend.label.padEnd(labelWidth - 1)}`,
        `${String(chain.steps).padStart(5)} steps`,
        seconds(chain.ms),
        `${latencyMs.toFixed(1).padStart(5)} ms/step`,
        `(${fixed(latencyMs / rawLatencyMs)}x raw pg insert latency)`,
        `${perStep(chain)}`,
      ].join('  '),
    );
  }
  console.log(
    [
      `raw pg single-row inserts ${''.padEnd(labelWidth - 2)}`,
      `${String(raw.rows).padStart(5)} rows `,
      seconds(raw.ms),
      `${fixed(rawPerSecond).padStart(5)} rows/s `,
      `(baseline: ${rawLatencyMs.toFixed(2)} ms/insert, 1 statement, autocommit)`,
    ].join('  '),
  );
}

/**
 * The baseline: `rows` single-row INSERTs into a scratch table of six columns (one jsonb), each
 * its own parameterized statement in autocommit, awaited one after the other on one `pg.Client`.
 */
async function measureRawInserts(databaseUrl: string, rows: number): Promise<RawInsertFigures> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      'create table bench_raw_insert (id uuid primary key, run_id uuid not null, kind text not null, message text not null, created_at timestamptz not null, data jsonb not null)',
    );
    const runId = randomUUID();
    const insert = (i: number) =>
      client.query(
        'insert into bench_raw_insert (id, run_id, kind, message, created_at, data) values ($1, $2, $3, $4, $5, $6)',
        [
          randomUUID(),
          runId,
          'step.materialized',
          `materialized row ${i}`,
          new Date(),
          JSON.stringify({ attempt: 1, size: 1, where: 'inline' }),
        ],
      );
    for (let i = 0; i < 50; i++) await insert(i); // warm-up: connection, plan cache, JIT
    await client.query('truncate bench_raw_insert');
    const start = performance.now();
    for (let i = 0; i < rows; i++) await insert(i);
    const ms = performance.now() - start;
    const { rows: counted } = await client.query<{ n: string }>('select count(*) as n from bench_raw_insert');
    if (Number(counted[0]!.n) !== rows) throw new Error(`raw insert baseline wrote ${counted[0]!.n} of ${rows} rows`);
    return { rows, ms };
  } finally {
    await client.end();
  }
}

/** Opens the engine as `weir dev` does (temp data dir; PostgreSQL when `databaseUrl` is set) and measures both shapes. */
async function measureEngine(
  label: string,
  databaseUrl: string | undefined,
  wideSteps: number,
  chainSteps: number,
): Promise<BackendFigures> {
  const dataDir = await mkdtemp(join(tmpdir(), 'weir-bench-materialize-'));
  const warm = noopAssets('warm', WARMUP_STEPS);
  const wide = noopAssets('noop', wideSteps);
  const chain = chainAssets('chain', chainSteps);
  // A minimal environment: the defaults of `weir dev`, not whatever the caller's shell sets.
  const config = loadConfig({ WEIR_DATA_DIR: dataDir, ...(databaseUrl ? { WEIR_DATABASE_URL: databaseUrl } : {}) });
  let opened: OpenedWeir | undefined;
  try {
    opened = await openWeir(config, AssetGraph.build([...warm, ...wide, ...chain]));
    const counter = countStatements(opened.database.dataSource);
    await materialize(opened, 'warm/*', WARMUP_STEPS, counter);
    return {
      label,
      concurrency: config.concurrency,
      wide: await materialize(opened, 'noop/*', wideSteps, counter),
      chain: await materialize(opened, 'chain/*', chainSteps, counter),
    };
  } finally {
    await opened?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** One run of `selection`, timed from the request to the run's end. */
async function materialize(
  opened: OpenedWeir,
  selection: string,
  steps: number,
  counter: StatementCounter,
): Promise<RunFigures> {
  const before = counter.snapshot();
  const start = performance.now();
  const requested = await opened.engine.requestRun({ selection, trigger: 'manual' });
  const finished = await opened.engine.waitForRun(requested.id);
  const ms = performance.now() - start;
  const after = counter.snapshot();
  if (finished.status !== 'succeeded') throw new Error(`bench run of '${selection}' ended ${finished.status}`);
  const succeeded = finished.steps.filter((step) => step.status === 'succeeded').length;
  if (succeeded !== steps) throw new Error(`bench run of '${selection}' succeeded ${succeeded} of ${steps} steps`);
  return { steps, ms, statements: after.statements - before.statements, commits: after.commits - before.commits };
}

interface StatementCounter {
  snapshot(): { statements: number; commits: number };
}

/** Counts the statements TypeORM sends (it logs every one, transaction control included). */
function countStatements(dataSource: DataSource): StatementCounter {
  let statements = 0;
  let commits = 0;
  const logger = dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (query, parameters, queryRunner) => {
    statements++;
    if (query === 'COMMIT') commits++;
    return logQuery(query, parameters, queryRunner);
  };
  return { snapshot: () => ({ statements, commits }) };
}

/** `n` independent assets `<prefix>/a0001`… whose materialize does nothing. */
function noopAssets(prefix: string, n: number): AnyAsset[] {
  return Array.from({ length: n }, (_, i) =>
    asset({ key: `${prefix}/a${String(i + 1).padStart(4, '0')}`, materialize: async () => 1 }),
  );
}

/** `n` no-op assets, each depending on the one before: they can only run one at a time. */
function chainAssets(prefix: string, n: number): AnyAsset[] {
  const assets: AnyAsset[] = [];
  for (let i = 0; i < n; i++) {
    const key = `${prefix}/c${String(i + 1).padStart(4, '0')}`;
    const previous = assets[i - 1];
    assets.push(
      previous
        ? asset({ key, deps: { previous }, materialize: async () => 1 })
        : asset({ key, materialize: async () => 1 }),
    );
  }
  return assets;
}

function perStep(run: RunFigures): string {
  return `${fixed(run.statements / run.steps)} SQL statements, ${fixed(run.commits / run.steps)} commits per step`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1).padStart(5)} s`;
}

function fixed(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function ratio(value: number): string {
  return `${value.toFixed(value < 0.1 ? 3 : 2)}x`;
}

if (isMainModule(import.meta.url)) await benchMaterializeThroughput();
