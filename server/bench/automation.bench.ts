/**
 * Automation costs: trigger latency on PostgreSQL (an upstream commit → the downstream run
 * created → its step started), and the scheduler's cost with 10k cron schedules, each beside a
 * baseline measured in the same run.
 *
 *   npx tsx bench/automation.bench.ts        # from server/
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { CronScheduler } from '../src/automation/cron-scheduler.js';
import { loadConfig } from '../src/config/weir-config.js';
import { openWeir } from '../src/engine/open-weir.js';
import { AssetGraph } from '../src/graph/asset-graph.js';
import { systemClock } from '../src/runs/clock.js';
import { asset, type AnyAsset } from '../src/sdk/asset.js';
import { cronConditionsOf, eager, nextCronTick, onCron } from '../src/sdk/automation.js';
import { openDatabase } from '../src/storage/data-source.factory.js';
import { createScratchDatabase, dropScratchDatabase, isMainModule } from './bench-support.js';

const PAIRS = Number(process.env.WEIR_BENCH_TRIGGER_PAIRS ?? 100);
const SCHEDULES = Number(process.env.WEIR_BENCH_CRON_SCHEDULES ?? 10_000);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function rawInsertLatency(url: string, rows: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TABLE bench_raw (id serial primary key, payload jsonb)');
    const started = performance.now();
    for (let i = 0; i < rows; i++) await client.query('INSERT INTO bench_raw (payload) VALUES ($1)', [{ i }]);
    return (performance.now() - started) / rows;
  } finally {
    await client.end();
  }
}

async function triggerLatency(): Promise<void> {
  const url = await createScratchDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'weir-bench-automation-'));
  try {
    const rawMs = await rawInsertLatency(url, 500);
    const assets: AnyAsset[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const up = asset({ key: `up/u${i}`, materialize: async () => i });
      assets.push(
        up,
        asset({ key: `down/d${i}`, deps: { up }, automation: eager(), materialize: async (_c, { up: v }) => v + 1 }),
      );
    }
    const config = loadConfig({ WEIR_DATABASE_URL: url, WEIR_DATA_DIR: dataDir }, {});
    const weir = await openWeir(config, AssetGraph.build(assets));
    try {
      // The deploy evaluation, as `weir dev` and a leading server run it: each condition's first.
      await weir.automation.evaluateAll();
      // One upstream commit at a time, so each latency is the engine's, not a queue's.
      for (let i = 0; i < PAIRS; i++) {
        await weir.engine.waitForRun((await weir.engine.requestRun({ selection: `up/u${i}`, trigger: 'manual' })).id);
        for (;;) {
          const started: unknown[] = await weir.database.dataSource.query(
            `SELECT 1 FROM attempts a JOIN steps s ON s.id = a.step_id WHERE s.asset_key = $1 LIMIT 1`,
            [`down/d${i}`],
          );
          if (started.length > 0) break;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      }
      const rows: Array<{ created: number; started: number }> = await weir.database.dataSource.query(
        `SELECT EXTRACT(EPOCH FROM (r.created_at - m.created_at)) * 1000 AS created,
                EXTRACT(EPOCH FROM (a.started_at - m.created_at)) * 1000 AS started
           FROM materializations m
           JOIN automation_inbox i ON i.materialization_id = m.id
           JOIN runs r ON r.id = i.consumed_by_run_id
           JOIN steps s ON s.run_id = r.id
           JOIN attempts a ON a.step_id = s.id AND a.number = 1
          WHERE m.asset_key LIKE 'up/%'`,
      );
      const created = rows.map((r) => Number(r.created)).sort((a, b) => a - b);
      const started = rows.map((r) => Number(r.started)).sort((a, b) => a - b);
      console.log(
        `trigger latency (PostgreSQL, ${rows.length} upstream commits, each → one eager downstream run; from the upstream materialization's commit):`,
      );
      console.log(
        `  → downstream run created   p50 ${percentile(created, 50).toFixed(1)} ms  p99 ${percentile(created, 99).toFixed(1)} ms  (${(percentile(created, 50) / rawMs).toFixed(1)}x a raw pg insert, ${rawMs.toFixed(2)} ms, measured in this run)`,
      );
      console.log(
        `  → downstream step started  p50 ${percentile(started, 50).toFixed(1)} ms  p99 ${percentile(started, 99).toFixed(1)} ms`,
      );
      console.log(
        '  (event-driven: evaluated when the commit lands, not on a polling tick; Dagster evaluates on a ~30 s daemon tick)',
      );
    } finally {
      await weir.close();
    }
  } finally {
    await dropScratchDatabase(url);
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function schedulerCost(): Promise<void> {
  const assets = Array.from({ length: SCHEDULES }, (_, i) =>
    asset({
      key: `sched/s${i}`,
      automation: onCron(`${i % 60} ${i % 24} * * *`, { timezone: i % 2 ? 'Europe/Paris' : 'UTC' }),
      materialize: async () => i,
    }),
  );
  const graph = AssetGraph.build(assets);
  const database = await openDatabase({ kind: 'pglite', dataDir: undefined });
  try {
    const heapBefore = process.memoryUsage().heapUsed;
    const scheduler = new CronScheduler({
      dataSource: database.dataSource,
      graph: () => graph,
      clock: systemClock,
      onTick: async () => {},
      log: () => {},
    });
    const started = performance.now();
    await scheduler.start();
    const startMs = performance.now() - started;
    const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    const armed = scheduler.scheduled();
    const distinct = new Set(
      assets.flatMap((a) => cronConditionsOf(a.automation).map((c) => `${c.expression}|${c.timezone}`)),
    ).size;
    scheduler.stop();
    // Baseline: the same number of timers alone.
    const baselineStarted = performance.now();
    const timers = Array.from({ length: SCHEDULES }, (_, i) => setTimeout(() => {}, 3_600_000 + i));
    const baselineMs = performance.now() - baselineStarted;
    timers.forEach(clearTimeout);
    console.log(
      `scheduler with ${SCHEDULES} cron schedules (${distinct} distinct): start (one query for past ticks, next tick of each distinct schedule, one timer each) ${startMs.toFixed(0)} ms, ${armed} timers armed, ~${heapMiB.toFixed(1)} MiB heap; idle cost between ticks: none (no polling loop)`,
    );
    // Baseline 2: a scheduler that computes every schedule's next tick (no sharing).
    const naiveStarted = performance.now();
    for (const a of assets) for (const c of cronConditionsOf(a.automation)) nextCronTick(c, new Date());
    const naiveMs = performance.now() - naiveStarted;
    console.log(
      `  baselines: ${SCHEDULES} bare setTimeout calls ${baselineMs.toFixed(1)} ms; next tick of every schedule, one by one (cron-parser) ${naiveMs.toFixed(0)} ms (${(naiveMs / startMs).toFixed(1)}x Weir's start)`,
    );
  } finally {
    await database.close();
  }
}

export async function benchAutomation(): Promise<void> {
  await triggerLatency();
  await schedulerCost();
}

if (isMainModule(import.meta.url)) await benchAutomation();
