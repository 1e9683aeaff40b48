/**
 * Benchmark: end-to-end no-op steps per second of the distributed mode, run as real processes —
 * one `weir server --port 0` and 1, 2 and 4 `weir worker --concurrency 4` — on a fresh
 * `weir_bench_<random>` PostgreSQL database per configuration (dropped afterwards) and a
 * throw-away Redis started by the bench (no persistence; FLUSHALL between configurations).
 * Baseline measured in the same run, on the same Redis: no-op jobs through a raw BullMQ Queue
 * and Worker in this process (jobs added with addBulk).
 *
 * Per configuration: an unmeasured warm-up run, then one run of N independent no-op assets
 * (throughput), then a chain of no-op assets (each ready only when the one before succeeds, so
 * workers are idle when it becomes ready: the hand-off latency without queueing). Dispatch
 * latency is read from the database: `attempts.started_at - steps.queued_at` of attempt 1.
 * `queued_at` is PostgreSQL's now(), i.e. the start of the transaction that made the step ready,
 * so the figure includes the rest of that transaction and its commit, the dispatch to Redis, the
 * BullMQ hand-off and the worker's claim up to its clock reading; `started_at` is the worker's
 * clock. Both clocks are this machine's. During the wide run the bench also reads CPU time per
 * process from /proc and samples pg_stat_activity of the run's database, to show where time goes.
 *
 *   node dist/bench/distributed-throughput.bench.js          # compiled (spawns bin/weir.js)
 *   WEIR_BENCH_DIST_STEPS=1000 WEIR_BENCH_DIST_WARMUP=400 WEIR_BENCH_DIST_CHAIN=50 \
 *   WEIR_BENCH_DIST_WORKERS=1,2 WEIR_BENCH_BULLMQ_JOBS=10000 node dist/bench/...   # other sizes
 *
 * Needs PostgreSQL (`bash .ci/provision.sh`), redis-server on the PATH and the compiled CLI
 * (`npm run build`). The generated asset project lives in `<repo>/.bench-tmp/` (ignored by git,
 * eslint and prettier) so that its `import { asset } from 'weir'` resolves; it is removed at the end.
 */
import { mkdir, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { RunView } from '../src/runs/run-queries.js';
import {
  checkPostgres,
  createScratchDatabase,
  dropScratchDatabase,
  isMainModule,
  sizeFromEnv,
} from './bench-support.js';
import {
  BULLMQ_CONCURRENCY,
  WORKER_CONCURRENCY,
  POLL_MS,
  STARTUP_TIMEOUT_MS,
  RUN_TIMEOUT_MS,
  Sizes,
  BullMqFigures,
  RunFigures,
  Latencies,
  ConfigurationFigures,
} from './distributed/figures.js';
import { writeFixture, locateWeir, WeirChild, ThrowawayRedis } from './distributed/weir-processes.js';
import { backgroundLoad, cpuSnapshot, cpuDelta } from './distributed/process-cpu.js';
import { SessionSampler } from './distributed/pg-sessions.js';
import { report, withTimeout, listFromEnv } from './distributed/report.js';

export async function benchDistributedThroughput(): Promise<void> {
  const sizes: Sizes = {
    steps: sizeFromEnv('WEIR_BENCH_DIST_STEPS', 400),
    warmup: sizeFromEnv('WEIR_BENCH_DIST_WARMUP', 400),
    chain: sizeFromEnv('WEIR_BENCH_DIST_CHAIN', 30),
    workerCounts: listFromEnv('WEIR_BENCH_DIST_WORKERS', [1, 2, 4]),
    bullmqJobs: sizeFromEnv('WEIR_BENCH_BULLMQ_JOBS', 5000, 1_000_000),
  };
  // Before anything slow: fail at once, with the fix, when something is missing.
  console.log(`metadata server: ${await checkPostgres()}`);
  const { repoRoot, weirBin } = locateWeir();

  const scratchParent = join(repoRoot, '.bench-tmp');
  const createdParent = await mkdir(scratchParent, { recursive: true });
  const scratch = await mkdtemp(join(scratchParent, 'distributed-'));
  let redis: ThrowawayRedis | undefined;
  try {
    const projectDir = join(scratch, 'project');
    await writeFixture(projectDir, sizes);
    redis = await ThrowawayRedis.start(scratch);
    console.log(`queue: redis-server ${redis.version} on ${redis.url} (no persistence, started by the bench)`);
    const background = await backgroundLoad(1000);
    if (background !== undefined)
      console.log(
        `machine before the bench: ${(background * 100).toFixed(0)}% busy over 1 s (other processes; the figures below share the CPUs with them)`,
      );

    const baseline = await measureRawBullMq(redis.url, sizes.bullmqJobs);
    const configurations: ConfigurationFigures[] = [];
    for (const workers of sizes.workerCounts) {
      await redis.flushAll();
      configurations.push(await measureWeir({ workers, sizes, redis, projectDir, scratch, weirBin }));
    }
    report(baseline, configurations);
  } finally {
    await redis?.stop();
    await rm(scratch, { recursive: true, force: true });
    if (createdParent) await rmdir(scratchParent).catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Baseline: raw BullMQ

/**
 * `jobs` no-op jobs through one Queue and one Worker (concurrency 8) in this process: the
 * worker is started and connected first, then the clock runs from addBulk to the last
 * `completed` event. Jobs are removed on completion, as Weir's are.
 */
async function measureRawBullMq(url: string, jobs: number): Promise<BullMqFigures> {
  const queueName = 'bench-raw';
  const queueClient = new Redis(url, { maxRetriesPerRequest: null });
  const workerClient = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection: queueClient });
  let warmCompleted = 0;
  let completed = 0;
  let allDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const worker = new Worker(queueName, async () => 1, {
    connection: workerClient,
    concurrency: BULLMQ_CONCURRENCY,
    autorun: false,
  });
  let failure: Error | undefined;
  worker.on('completed', (job) => {
    if (job.name === 'warm') warmCompleted++;
    else if (++completed === jobs) allDone();
  });
  worker.on('failed', (_job, error) => (failure ??= error));
  try {
    await queue.waitUntilReady();
    await worker.waitUntilReady();
    // Warm-up: scripts loaded, connections and JIT warm.
    void worker.run();
    const warm = Math.min(500, jobs);
    await queue.addBulk(
      Array.from({ length: warm }, (_, i) => ({ name: 'warm', data: { i }, opts: { removeOnComplete: true } })),
    );
    while (warmCompleted < warm) await sleep(10);

    const payload = Array.from({ length: jobs }, (_, i) => ({
      name: 'noop',
      data: { runId: 'bench', stepId: String(i), attempt: 1 },
      opts: { jobId: `bench-${i}.1`, removeOnComplete: true, removeOnFail: true, attempts: 1 },
    }));
    const start = performance.now();
    await queue.addBulk(payload);
    const addBulkMs = performance.now() - start;
    await withTimeout(done, RUN_TIMEOUT_MS, () => `raw BullMQ: only ${completed} of ${jobs} jobs completed`);
    const ms = performance.now() - start;
    if (failure) throw failure;
    return { jobs, ms, addBulkMs };
  } finally {
    await worker.close();
    await queue.close();
    queueClient.disconnect();
    workerClient.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// Weir: one server, `workers` worker processes

async function measureWeir(options: {
  workers: number;
  sizes: Sizes;
  redis: ThrowawayRedis;
  projectDir: string;
  scratch: string;
  weirBin: string;
}): Promise<ConfigurationFigures> {
  const { workers, sizes, redis, projectDir, scratch, weirBin } = options;
  const databaseUrl = await createScratchDatabase();
  const processes: WeirChild[] = [];
  try {
    // A minimal environment: the defaults of a deployment, not whatever the caller's shell sets.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('WEIR_')));
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      NO_COLOR: '1',
      WEIR_PROJECT: projectDir,
      WEIR_DATA_DIR: join(scratch, `data-${workers}`),
      WEIR_DATABASE_URL: databaseUrl,
      WEIR_REDIS_URL: redis.url,
    };
    const startup = performance.now();
    // The server first: it migrates the fresh database before any worker opens it.
    const server = new WeirChild('weir server', weirBin, ['server', '--port', '0'], env, scratch);
    processes.push(server);
    const [, host] = await server.waitForOutput(/API http:\/\/([\d.]+:\d+)/, STARTUP_TIMEOUT_MS);
    // A fresh database: the server printed its first-start admin token, as an operator would read it.
    const [, token] = await server.waitForOutput(/admin API token \(shown once, store it now\): (\S+)/, 1_000);
    const api: Api = { base: `http://${host}`, token: token! };
    const workerProcesses = Array.from({ length: workers }, (_, i) => {
      const worker = new WeirChild(
        `weir worker #${i + 1}`,
        weirBin,
        ['worker', '--concurrency', String(WORKER_CONCURRENCY)],
        env,
        scratch,
      );
      processes.push(worker);
      return worker;
    });
    await Promise.all(workerProcesses.map((worker) => worker.waitForOutput(/Weir worker/, STARTUP_TIMEOUT_MS)));
    const startupMs = performance.now() - startup;

    await runSelection(api, 'warm/*', sizes.warmup);
    const databaseName = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
    const sampler = await SessionSampler.start(databaseUrl);
    const before = cpuSnapshot(server, workerProcesses, redis.pid, databaseName);
    const wide = await runSelection(api, 'noop/*', sizes.steps).finally(() => sampler.stop());
    const cpu = cpuDelta(before, cpuSnapshot(server, workerProcesses, redis.pid, databaseName));
    const sessions = sampler.figures();
    const chain = await runSelection(api, 'chain/*', sizes.chain);
    const [wideLatency, chainLatency] = await dispatchLatencies(databaseUrl, [wide.runId, chain.runId]);
    return { workers, startupMs, wide, chain, wideLatency: wideLatency!, chainLatency: chainLatency!, cpu, sessions };
  } catch (error) {
    for (const child of processes) console.error(child.describe());
    throw error;
  } finally {
    await Promise.all(processes.map((child) => child.stop()));
    await dropScratchDatabase(databaseUrl);
  }
}

/** The API of the `weir server` under test, with the token to call it with. */
interface Api {
  readonly base: string;
  readonly token: string;
}

/** POSTs a run of `selection` and polls it every 100 ms until it ends; checks that every step succeeded. */
async function runSelection(api: Api, selection: string, steps: number): Promise<RunFigures> {
  const start = performance.now();
  const authorization = `Bearer ${api.token}`;
  const response = await fetch(`${api.base}/api/runs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ selection }),
  });
  if (!response.ok)
    throw new Error(`POST /api/runs {selection: '${selection}'}: HTTP ${response.status} ${await response.text()}`);
  const requested = (await response.json()) as RunView;
  const postMs = performance.now() - start;
  if (requested.steps.length !== steps)
    throw new Error(`run of '${selection}' planned ${requested.steps.length} steps, expected ${steps}`);
  let polls = 0;
  let pollTotalMs = 0;
  for (;;) {
    const pollStart = performance.now();
    const view = (await (
      await fetch(`${api.base}/api/runs/${requested.id}`, { headers: { authorization } })
    ).json()) as RunView;
    pollTotalMs += performance.now() - pollStart;
    polls++;
    if (view.status === 'succeeded' || view.status === 'failed' || view.status === 'canceled') {
      const wallMs = performance.now() - start;
      if (view.status !== 'succeeded') throw new Error(`bench run of '${selection}' ended ${view.status}`);
      const succeeded = view.steps.filter((step) => step.status === 'succeeded').length;
      if (succeeded !== steps) throw new Error(`bench run of '${selection}' succeeded ${succeeded} of ${steps} steps`);
      const runMs = Date.parse(view.endedAt!) - Date.parse(view.startedAt!);
      const planMs = Date.parse(view.startedAt!) - Date.parse(view.createdAt);
      return { runId: view.id, steps, wallMs, postMs, planMs, runMs, polls, pollMs: pollTotalMs / polls };
    }
    if (performance.now() - start > RUN_TIMEOUT_MS)
      throw new Error(`bench run of '${selection}' still ${view.status} after ${RUN_TIMEOUT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
}

/**
 * Per step of each run, attempt 1's `started_at` (the worker's clock when it claimed the step)
 * minus the step's `queued_at` (PostgreSQL's now() in the transaction that made it ready).
 * Both clocks are this machine's, so the difference is meaningful.
 */
async function dispatchLatencies(databaseUrl: string, runIds: readonly string[]): Promise<Latencies[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result: Latencies[] = [];
    for (const runId of runIds) {
      const { rows } = await client.query<{ ms: number }>(
        `SELECT (extract(epoch FROM a.started_at - s.queued_at) * 1000)::float8 AS ms
           FROM steps s JOIN attempts a ON a.step_id = s.id AND a.number = 1
          WHERE s.run_id = $1 AND s.queued_at IS NOT NULL`,
        [runId],
      );
      const sorted = rows.map((row) => row.ms).sort((a, b) => a - b);
      if (sorted.length === 0) throw new Error(`run ${runId} has no started attempts`);
      result.push({
        count: sorted.length,
        p50: percentile(sorted, 0.5),
        p99: percentile(sorted, 0.99),
        max: sorted[sorted.length - 1]!,
      });
    }
    return result;
  } finally {
    await client.end();
  }
}

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

if (isMainModule(import.meta.url)) await benchDistributedThroughput();
