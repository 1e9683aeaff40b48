/**
 * Benchmark: the cost of one freshness evaluation pass over 10k assets with policies — what the
 * freshness monitor does once at start (afterwards it only evaluates the asset whose timer
 * fired or that was just materialized). Half the assets have a `maxLag` policy, half a
 * `deadline` on one of six cron schedules in four time zones; their last materializations are
 * spread over three days.
 *
 * - pure math: `evaluateFreshness` for every asset, cold (the cron tick cache is empty) and warm;
 *   baseline in the same run: iterating the same 10k rows without evaluating, and cron-parser
 *   computing the next tick for each deadline asset (what the tick cache saves);
 * - with the database: reading the 10k latest materializations and stored states (one query
 *   each, as the monitor does) and evaluating, on PGlite and on PostgreSQL; baseline: a plain
 *   `SELECT asset_key, created_at FROM materializations` of the same 10k rows.
 *
 *   npx tsx bench/freshness-evaluation.bench.ts
 *   node dist/bench/freshness-evaluation.bench.js        # compiled
 *
 * Needs PostgreSQL for the last part (`bash .ci/provision.sh`); provisions nothing itself.
 */
import { randomUUID } from 'node:crypto';
import { CronExpressionParser } from 'cron-parser';
import type { DataSource } from 'typeorm';
import { evaluateFreshness, type FreshnessStatus } from '../src/freshness/freshness-policy.js';
import { readFreshnessStates, readLastMaterializations, subjectKey } from '../src/freshness/freshness-store.js';
import { freshnessSubject } from '../src/freshness/freshness-subject.js';
import { deadline, maxLag, type FreshnessPolicy } from '../src/sdk/freshness.js';
import { openDatabase, type OpenedDatabase } from '../src/storage/data-source.factory.js';
import { checkPostgres, createScratchDatabase, dropScratchDatabase, isMainModule } from './bench-support.js';

const ASSETS = 10_000;
const PASSES = 7;
const NOW = new Date('2026-03-30T12:00:00Z');
const SCHEDULES = [
  ['0 9 * * *', 'Europe/Paris'],
  ['30 6 * * *', 'UTC'],
  ['0 */4 * * *', 'UTC'],
  ['0 7 * * 1-5', 'America/New_York'],
  ['15 * * * *', 'Asia/Tokyo'],
  ['0 0 * * *', 'Europe/Paris'],
] as const;

interface Row {
  readonly key: string;
  readonly policy: FreshnessPolicy;
  readonly last: Date;
}

/** The 10k assets: policies and last materialization times (deterministic). */
function syntheticRows(): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < ASSETS; i++) {
    const schedule = SCHEDULES[i % SCHEDULES.length]!;
    const policy =
      i % 2 === 0
        ? maxLag(`${1 + (i % 48)}h`, { warn: `${30 + (i % 30)}m` })
        : deadline({ cron: schedule[0], maxLag: `${15 + (i % 90)}m`, timezone: schedule[1] });
    // Spread over the last three days, 26 seconds apart.
    rows.push({ key: assetKey(i), policy, last: new Date(NOW.getTime() - i * 26_000) });
  }
  return rows;
}

function assetKey(i: number): string {
  return `bench/asset${String(i).padStart(5, '0')}`;
}

/**
 * Prints the cost of one evaluation pass over 10k assets: pure math (cold and warm) against
 * plain iteration and raw cron-parser, then with the reads from PGlite and PostgreSQL against a
 * plain read of the same rows.
 */
export async function benchFreshnessEvaluation(): Promise<void> {
  const rows = syntheticRows();

  // Cold first: the tick cache is filled by this pass.
  let start = performance.now();
  const counts = evaluateAll(rows, (row) => row.last);
  const coldMs = performance.now() - start;
  const warmMs = median(timed(PASSES, () => evaluateAll(rows, (row) => row.last)));
  const iterateMs = median(timed(PASSES, () => iterateOnly(rows)));
  const deadlines = rows.filter((row) => row.policy.kind === 'deadline');
  start = performance.now();
  rawCronNextTicks(deadlines);
  const rawCronMs = performance.now() - start;
  console.log(
    [
      `freshness pass, pure  N=${ASSETS}`,
      `cold ${ms(coldMs)}`,
      `warm ${ms(warmMs)} (${((warmMs * 1000) / ASSETS).toFixed(2)} µs/asset)`,
      `baseline iterate ${ms(iterateMs)}`,
      `cron-parser next() for the ${deadlines.length} deadlines ${ms(rawCronMs)}`,
      `statuses ${Object.entries(counts)
        .map(([status, n]) => `${status}=${n}`)
        .join(' ')}`,
    ].join('  '),
  );

  const pglite = await openDatabase({ kind: 'pglite', dataDir: undefined });
  try {
    await benchDatabase('PGlite', pglite, rows);
  } finally {
    await pglite.close();
  }

  console.log(`metadata server: ${await checkPostgres()}`);
  const url = await createScratchDatabase();
  try {
    const postgres = await openDatabase({ kind: 'postgres', url }, { poolSize: 4 });
    try {
      await benchDatabase('PostgreSQL', postgres, rows);
    } finally {
      await postgres.close();
    }
  } finally {
    await dropScratchDatabase(url);
  }
}

// The bench's assets are unpartitioned: each is held against its latest materialization.
const ASSET_SUBJECT = freshnessSubject(undefined, new Date());

/** Seeds one materialization per asset, then times read + evaluate against a plain read. */
async function benchDatabase(label: string, database: OpenedDatabase, rows: readonly Row[]): Promise<void> {
  const { dataSource } = database;
  await seed(dataSource, rows);
  const subjects = rows.map((row) => ({ assetKey: row.key, subject: ASSET_SUBJECT }));
  const pairs = rows.map((row) => ({ assetKey: row.key, partitionKey: ASSET_SUBJECT.partitionKey }));
  const passMs = median(
    await timedAsync(PASSES, async () => {
      const [last] = await Promise.all([
        readLastMaterializations(dataSource.manager, subjects),
        readFreshnessStates(dataSource.manager, pairs),
      ]);
      if (last.size !== rows.length) throw new Error(`read ${last.size} of ${rows.length} materializations`);
      evaluateAll(rows, (row) => last.get(subjectKey(row.key, '')) ?? null);
    }),
  );
  const plainMs = median(
    await timedAsync(PASSES, async () => {
      const plain: unknown[] = await dataSource.query(`SELECT asset_key, created_at FROM materializations`);
      if (plain.length !== rows.length) throw new Error('plain read lost rows');
    }),
  );
  console.log(
    [
      `freshness pass, ${label.padEnd(10)} N=${ASSETS}`,
      `read+evaluate ${ms(passMs)} (${((passMs * 1000) / ASSETS).toFixed(1)} µs/asset)`,
      `baseline plain SELECT of the ${rows.length} rows ${ms(plainMs)}`,
      `x${(passMs / plainMs).toFixed(1)} baseline`,
    ].join('  '),
  );
}

async function seed(dataSource: DataSource, rows: readonly Row[]): Promise<void> {
  const runId = randomUUID();
  await dataSource.transaction(async (manager) => {
    await manager.query(
      `INSERT INTO runs (id, status, trigger, selection, snapshot_id) VALUES ($1, 'succeeded', 'manual', '*', $2)`,
      [runId, randomUUID()],
    );
    await manager.query(
      `INSERT INTO steps (id, run_id, asset_key, status, ended_at)
       SELECT gen_random_uuid(), $1, k.key, 'succeeded', k.at
         FROM unnest($2::text[], $3::timestamptz[]) AS k(key, at)`,
      [runId, rows.map((row) => row.key), rows.map((row) => row.last.toISOString())],
    );
    await manager.query(
      `INSERT INTO materializations (id, asset_key, partition_key, run_id, step_id, attempt_id, data_version, value_type, output_size)
       SELECT gen_random_uuid(), asset_key, '', run_id, id, gen_random_uuid(), 'bench', 'none', 0 FROM steps WHERE run_id = $1`,
      [runId],
    );
  });
  await dataSource.query('ANALYZE');
}

function evaluateAll(rows: readonly Row[], last: (row: Row) => Date | null): Record<FreshnessStatus, number> {
  const counts: Record<FreshnessStatus, number> = { fresh: 0, warning: 0, late: 0 };
  for (const row of rows) counts[evaluateFreshness(row.policy, last(row), NOW).status]++;
  return counts;
}

function iterateOnly(rows: readonly Row[]): number {
  let sum = 0;
  for (const row of rows) sum += row.last.getTime() + row.key.length;
  return sum;
}

function rawCronNextTicks(rows: readonly Row[]): number {
  let sum = 0;
  for (const row of rows) {
    const policy = row.policy as Extract<FreshnessPolicy, { kind: 'deadline' }>;
    const expression = CronExpressionParser.parse(policy.cron, { tz: policy.timezone, currentDate: row.last });
    sum += expression.next().getTime();
  }
  return sum;
}

function timed(passes: number, work: () => unknown): number[] {
  const times: number[] = [];
  for (let i = 0; i < passes; i++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return times;
}

async function timedAsync(passes: number, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < passes; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return times;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

if (isMainModule(import.meta.url)) await benchFreshnessEvaluation();
