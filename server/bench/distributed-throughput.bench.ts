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
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, rmdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
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

const BULLMQ_CONCURRENCY = 8;
const WORKER_CONCURRENCY = 4;
const POLL_MS = 100;
const STARTUP_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 10_000;

interface Sizes {
  /** Independent no-op assets in the measured run. */
  readonly steps: number;
  /**
   * Independent no-op assets run first in every configuration, unmeasured: a fresh worker
   * process runs its first steps several times slower (JIT), so each needs ~100 before it is warm.
   */
  readonly warmup: number;
  /** Length of the chain run (dispatch latency with idle workers). */
  readonly chain: number;
  /** Worker process counts, one configuration each. */
  readonly workerCounts: readonly number[];
  /** Jobs through raw BullMQ (the baseline). */
  readonly bullmqJobs: number;
}

interface BullMqFigures {
  readonly jobs: number;
  readonly ms: number;
  readonly addBulkMs: number;
}

/** One run as measured from outside (HTTP) and as recorded by Weir itself. */
interface RunFigures {
  readonly runId: string;
  readonly steps: number;
  /** POST /api/runs until a poll saw the run ended. */
  readonly wallMs: number;
  /** How long POST /api/runs took to answer (planning + dispatch of the first ready steps). */
  readonly postMs: number;
  /** The run's createdAt → startedAt: its planning, on the server. */
  readonly planMs: number;
  /** The run's own startedAt → endedAt (no polling granularity; excludes planning). */
  readonly runMs: number;
  readonly polls: number;
  /** Mean duration of one GET /api/runs/:id. */
  readonly pollMs: number;
}

interface Latencies {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** CPU seconds spent by each kind of process during a run, and how busy the machine was. */
interface CpuFigures {
  readonly server: number;
  readonly workers: number;
  readonly postgres: number;
  readonly redis: number;
  readonly bench: number;
  /** Busy CPU seconds of the machine not spent by the above (other users of the machine, the kernel). */
  readonly other: number;
  /** The other processes that used most CPU, by name. */
  readonly topOthers: ReadonlyArray<{ readonly name: string; readonly cpu: number }>;
  /** Busy CPU seconds no live process accounts for (processes that exited during the run, interrupts). */
  readonly unattributed: number;
  /** Busy fraction of all CPUs over the run (from /proc/stat). */
  readonly machineBusy: number;
}

interface ConfigurationFigures {
  readonly workers: number;
  /** Spawn of the server until every worker printed its banner. */
  readonly startupMs: number;
  readonly wide: RunFigures;
  readonly chain: RunFigures;
  readonly wideLatency: Latencies;
  readonly chainLatency: Latencies;
  readonly cpu: CpuFigures | undefined;
  readonly sessions: SessionFigures;
}

/**
 * Prints raw BullMQ no-op jobs/s, then Weir's distributed steps/s with 1, 2 and 4 worker
 * processes (ratio to raw BullMQ), and the dispatch latency (step ready → worker start) p50/p99.
 */
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

// ---------------------------------------------------------------------------------------------
// The generated asset project

/**
 * Writes the asset project the processes load: `warm/*` and `noop/*` (independent no-op
 * assets) and `chain/*` (each depending on the one before).
 */
async function writeFixture(dir: string, sizes: Sizes): Promise<void> {
  await mkdir(dir, { recursive: true });
  const source = `// Generated by server/bench/distributed-throughput.bench.ts; removed when the bench ends.
import { asset } from 'weir';

const noop = async () => 1;
const name = (i) => String(i + 1).padStart(4, '0');

export const warm = Array.from({ length: ${sizes.warmup} }, (_, i) => asset({ key: \`warm/a\${name(i)}\`, materialize: noop }));
export const wide = Array.from({ length: ${sizes.steps} }, (_, i) => asset({ key: \`noop/a\${name(i)}\`, materialize: noop }));
export const chain = [];
for (let i = 0; i < ${sizes.chain}; i++) {
  const previous = chain[i - 1];
  const key = \`chain/c\${name(i)}\`;
  chain.push(previous ? asset({ key, deps: { previous }, materialize: noop }) : asset({ key, materialize: noop }));
}
`;
  await writeFile(join(dir, 'index.mjs'), source);
}

/** The server package root (holding bin/weir.js), from this file in bench/ or dist/bench/. */
function locateWeir(): { repoRoot: string; weirBin: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 4; depth++) {
    const bin = join(dir, 'bin', 'weir.js');
    if (existsSync(bin) && existsSync(join(dir, 'package.json'))) {
      if (!existsSync(join(dir, 'dist', 'src', 'cli', 'main.js')))
        throw new Error(`the compiled CLI is missing under ${join(dir, 'dist')}: run \`npm run build\` first`);
      const repoRoot = dirname(dir);
      if (!existsSync(join(repoRoot, 'node_modules', 'weir')))
        throw new Error(`node_modules/weir is missing under ${repoRoot}: run \`npm install\` at the repository root`);
      return { repoRoot, weirBin: bin };
    }
    dir = dirname(dir);
  }
  throw new Error(`bin/weir.js not found above ${fileURLToPath(import.meta.url)}`);
}

// ---------------------------------------------------------------------------------------------
// Processes

/** A `weir` command run as a child process, its output kept (the last 256 KiB). */
class WeirChild {
  readonly child: ChildProcess;
  readonly exited: Promise<number | string>;
  private out = '';

  constructor(
    readonly label: string,
    weirBin: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
    cwd: string,
  ) {
    this.child = spawn(process.execPath, [weirBin, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const append = (chunk: Buffer) => {
      this.out += chunk.toString();
      if (this.out.length > 256 * 1024) this.out = this.out.slice(-128 * 1024);
    };
    this.child.stdout!.on('data', append);
    this.child.stderr!.on('data', append);
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Waits until the output matches `pattern`; fails if the process exits first or it takes too long. */
  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.out);
      if (match) return match;
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`${this.label} exited before printing ${pattern}:\n${this.out}`);
      if (performance.now() > deadline)
        throw new Error(`${this.label} did not print ${pattern} within ${timeoutMs / 1000} s:\n${this.out}`);
      await sleep(25);
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after 10 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  describe(): string {
    const tail = this.out.split('\n').slice(-30).join('\n');
    return `--- ${this.label} (pid ${this.pid}, last output lines) ---\n${tail}`;
  }
}

/** A redis-server of the bench's own on a free port, without persistence. */
class ThrowawayRedis {
  private constructor(
    private readonly child: ChildProcess,
    private readonly exited: Promise<unknown>,
    readonly port: number,
    readonly version: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(dir: string): Promise<ThrowawayRedis> {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: 'ignore' },
    );
    let spawnError: Error | undefined;
    child.on('error', (error) => (spawnError = error));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const url = `redis://127.0.0.1:${port}`;
    for (let tries = 0; tries < 100; tries++) {
      if (spawnError)
        throw new Error(`cannot start redis-server (${spawnError.message}): run \`bash .ci/provision.sh\``, {
          cause: spawnError,
        });
      const version = await redisVersion(url);
      if (version) return new ThrowawayRedis(child, exited, port, version);
      if (child.exitCode !== null) break;
      await sleep(50);
    }
    child.kill('SIGKILL');
    throw new Error(`redis-server did not start on port ${port}`);
  }

  async flushAll(): Promise<void> {
    const client = new Redis(this.url, { maxRetriesPerRequest: 1 });
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The server's version when Redis answers at `url`, else undefined. */
async function redisVersion(url: string): Promise<string | undefined> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    const info = await client.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------
// CPU accounting (Linux /proc; skipped elsewhere). The machine may be shared: what the bench's
// own processes did not use is reported as "other".

interface CpuSnapshot {
  readonly server: number;
  readonly workers: number;
  readonly postgres: number;
  readonly redis: number;
  readonly bench: number;
  /** Every other process on the machine: pid → name and CPU seconds so far. */
  readonly others: ReadonlyMap<number, { readonly name: string; readonly cpu: number }>;
  readonly machine: MachineTicks;
}

interface MachineTicks {
  /** CPU seconds spent busy, summed over all CPUs. */
  readonly busy: number;
  readonly total: number;
}

let clockTicks: number | undefined;

function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU seconds of a process, or 0 when it is gone or unreadable. */
function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of every process but the bench's own Weir processes and Redis (`ours`), with the
 * PostgreSQL processes working for this bench — the backends connected to `databaseName` and
 * the server's shared processes (postmaster, WAL writer, checkpointer…) — summed apart.
 */
function processTable(
  ours: ReadonlySet<number>,
  databaseName: string,
): { postgres: number; others: Map<number, { name: string; cpu: number }> } {
  let postgres = 0;
  const others = new Map<number, { name: string; cpu: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (ours.has(pid) || pid === process.pid) continue;
    try {
      const name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      const cpu = processCpuSeconds(pid);
      if (name === 'postgres') {
        const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
        // A backend's title: "postgres: 15/main: <user> <database> <client> <state>".
        const backend = /\(\d+\)|\[local\]/.test(title);
        if (!backend || title.includes(` ${databaseName} `)) {
          postgres += cpu;
          continue;
        }
        others.set(pid, { name: 'postgres (other databases)', cpu });
      } else {
        others.set(pid, { name, cpu });
      }
    } catch {
      // exited meanwhile
    }
  }
  return { postgres, others };
}

function machineTicks(): MachineTicks | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  // cpu  user nice system idle iowait irq softirq steal
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { busy: (total - idle) / ticksPerSecond(), total: total / ticksPerSecond() };
}

/** How busy the machine is over `ms` while the bench does nothing (other users' load). */
async function backgroundLoad(ms: number): Promise<number | undefined> {
  const before = machineTicks();
  await sleep(ms);
  const after = machineTicks();
  if (!before || !after || after.total <= before.total) return undefined;
  return (after.busy - before.busy) / (after.total - before.total);
}

function cpuSnapshot(
  server: WeirChild,
  workers: readonly WeirChild[],
  redisPid: number | undefined,
  databaseName: string,
): CpuSnapshot | undefined {
  const machine = machineTicks();
  if (!machine) return undefined;
  const usage = process.cpuUsage();
  const ours = new Set(
    [server.pid, redisPid, ...workers.map((worker) => worker.pid)].filter((pid) => pid !== undefined),
  );
  const { postgres, others } = processTable(ours, databaseName);
  return {
    server: processCpuSeconds(server.pid),
    workers: workers.reduce((sum, worker) => sum + processCpuSeconds(worker.pid), 0),
    postgres,
    redis: processCpuSeconds(redisPid),
    bench: (usage.user + usage.system) / 1e6,
    others,
    machine,
  };
}

function cpuDelta(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined): CpuFigures | undefined {
  if (!before || !after) return undefined;
  const busy = after.machine.busy - before.machine.busy;
  const total = after.machine.total - before.machine.total;
  const figures = {
    server: after.server - before.server,
    workers: after.workers - before.workers,
    postgres: after.postgres - before.postgres,
    redis: after.redis - before.redis,
    bench: after.bench - before.bench,
  };
  const byName = new Map<string, number>();
  for (const [pid, { name, cpu }] of after.others) {
    const spent = cpu - (before.others.get(pid)?.cpu ?? 0);
    if (spent > 0) byName.set(name, (byName.get(name) ?? 0) + spent);
  }
  const ours = Object.values(figures).reduce((sum, value) => sum + value, 0);
  const others = [...byName.values()].reduce((sum, value) => sum + value, 0);
  return {
    ...figures,
    other: Math.max(0, busy - ours),
    topOthers: [...byName.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 3)
      .filter(([, cpu]) => cpu >= 0.05)
      .map(([name, cpu]) => ({ name, cpu })),
    unattributed: Math.max(0, busy - ours - others),
    machineBusy: total > 0 ? busy / total : 0,
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL sessions, sampled

interface SessionFigures {
  readonly samples: number;
  /** Mean number of the run's sessions executing a statement. */
  readonly active: number;
  /** Mean number of them waiting for a heavyweight lock (a row or transaction lock). */
  readonly lockWaits: number;
  /** Mean number of sessions inside a transaction, waiting for their client. */
  readonly idleInTransaction: number;
  /** Share of samples in which at least one session waited for a lock. */
  readonly samplesWithLockWait: number;
  /** The most frequent wait events of active sessions, with their share of active-session samples. */
  readonly topWaits: ReadonlyArray<{ readonly event: string; readonly share: number }>;
  /** The statement most often found waiting for a lock, with its share of lock-wait samples. */
  readonly topLockedStatement: { readonly statement: string; readonly share: number } | undefined;
}

/** Samples pg_stat_activity of one database every 100 ms on a connection of its own. */
class SessionSampler {
  private readonly rows: Array<{ active: number; lock: number; idleTx: number; waits: string[] }> = [];
  private readonly lockedStatements = new Map<string, number>();
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: pg.Client,
    private readonly databaseName: string,
  ) {}

  static async start(databaseUrl: string): Promise<SessionSampler> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const sampler = new SessionSampler(client, decodeURIComponent(new URL(databaseUrl).pathname.slice(1)));
    sampler.loop = sampler.run();
    return sampler;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const { rows } = await this.client.query<{ state: string | null; wait: string | null; query: string }>(
        `SELECT state, wait_event_type || ':' || wait_event AS wait, query
           FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
        [this.databaseName],
      );
      const active = rows.filter((row) => row.state === 'active');
      for (const row of active) {
        if (!row.wait?.startsWith('Lock:')) continue;
        const statement = row.query.replace(/\s+/g, ' ').trim();
        this.lockedStatements.set(statement, (this.lockedStatements.get(statement) ?? 0) + 1);
      }
      this.rows.push({
        active: active.length,
        lock: active.filter((row) => row.wait?.startsWith('Lock:')).length,
        idleTx: rows.filter((row) => row.state === 'idle in transaction').length,
        waits: active.map((row) => row.wait ?? 'CPU (no wait event)'),
      });
      await sleep(POLL_MS);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    try {
      await this.loop;
    } finally {
      await this.client.end();
    }
  }

  figures(): SessionFigures {
    const n = Math.max(1, this.rows.length);
    const mean = (pick: (row: (typeof this.rows)[number]) => number) =>
      this.rows.reduce((sum, row) => sum + pick(row), 0) / n;
    const counts = new Map<string, number>();
    for (const row of this.rows) for (const wait of row.waits) counts.set(wait, (counts.get(wait) ?? 0) + 1);
    const activeSamples = Math.max(
      1,
      [...counts.values()].reduce((sum, value) => sum + value, 0),
    );
    return {
      samples: this.rows.length,
      active: mean((row) => row.active),
      lockWaits: mean((row) => row.lock),
      idleInTransaction: mean((row) => row.idleTx),
      samplesWithLockWait: this.rows.filter((row) => row.lock > 0).length / n,
      topWaits: [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([event, count]) => ({ event, share: count / activeSamples })),
      topLockedStatement: this.topLockedStatement(),
    };
  }

  private topLockedStatement(): SessionFigures['topLockedStatement'] {
    const total = [...this.lockedStatements.values()].reduce((sum, value) => sum + value, 0);
    const top = [...this.lockedStatements.entries()].sort((a, b) => b[1] - a[1])[0];
    return top ? { statement: top[0], share: top[1] / total } : undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Report

function report(baseline: BullMqFigures, configurations: readonly ConfigurationFigures[]): void {
  const rawPerSecond = baseline.jobs / (baseline.ms / 1000);
  console.log(
    [
      `raw BullMQ no-op jobs          ${String(baseline.jobs).padStart(5)} jobs `,
      seconds(baseline.ms),
      `${fixed(rawPerSecond).padStart(5)} jobs/s `,
      `(baseline: 1 Queue + 1 Worker in the bench process, concurrency ${BULLMQ_CONCURRENCY}; addBulk ${ms(baseline.addBulkMs)} of it)`,
    ].join('  '),
  );
  console.log(
    `weir distributed: 1 \`weir server\` + N \`weir worker --concurrency ${WORKER_CONCURRENCY}\` processes on ${availableParallelism()} cpus, fresh PostgreSQL database each, same Redis (FLUSHALL)`,
  );
  for (const config of configurations) {
    const { wide } = config;
    const perSecond = wide.steps / (wide.wallMs / 1000);
    const runPerSecond = wide.steps / (wide.runMs / 1000);
    console.log(
      [
        `no-op steps, ${config.workers} worker${config.workers === 1 ? ' ' : 's'} x${WORKER_CONCURRENCY}  ${String(wide.steps).padStart(5)} steps`,
        seconds(wide.wallMs),
        `${fixed(perSecond).padStart(5)} steps/s`,
        `(${ratio(perSecond / rawPerSecond)} raw BullMQ)`,
        `run's own startedAt→endedAt ${seconds(wide.runMs).trim()} = ${fixed(runPerSecond)} steps/s`,
        `POST answered in ${ms(wide.postMs)} (planning, createdAt→startedAt, ${ms(wide.planMs)}; then ${wide.steps} dispatches)`,
      ].join('  '),
    );
  }
  console.log(
    `dispatch latency, step ready → worker start (attempt 1: attempts.started_at, the worker's clock at claim, − steps.queued_at, PostgreSQL now() = start of the transaction that made it ready, so its commit is included; same machine, same clock):`,
  );
  for (const config of configurations) {
    const { wideLatency: w, chainLatency: c } = config;
    console.log(
      [
        `  ${config.workers} worker${config.workers === 1 ? ' ' : 's'}`,
        `wide run (${w.count} ready at once, includes waiting for a free slot): p50 ${ms(w.p50)}  p99 ${ms(w.p99)}  max ${ms(w.max)}`,
        `chain (${c.count} steps, one ready at a time): p50 ${ms(c.p50)}  p99 ${ms(c.p99)}  max ${ms(c.max)}`,
        `chain ${(c.count / (config.chain.runMs / 1000)).toFixed(1)} steps/s`,
      ].join('  |  '),
    );
  }
  console.log(
    "during the wide run (CPU seconds from /proc; PostgreSQL sessions of the run's database sampled every 100 ms):",
  );
  for (const config of configurations) {
    const { cpu, wide, sessions: db } = config;
    const perStep = (cpuSeconds: number) => `${((cpuSeconds * 1000) / wide.steps).toFixed(1)} ms/step`;
    const label = `  ${config.workers} worker${config.workers === 1 ? ' ' : 's'}`;
    const indent = ' '.repeat(label.length);
    console.log(
      cpu
        ? `${label}  CPU: workers ${cpu.workers.toFixed(1)} s (${perStep(cpu.workers)}), postgres ${cpu.postgres.toFixed(1)} s (${perStep(cpu.postgres)}), server ${cpu.server.toFixed(1)} s, redis ${cpu.redis.toFixed(1)} s, bench ${cpu.bench.toFixed(1)} s, other ${cpu.other.toFixed(1)} s (${[...cpu.topOthers.map((o) => `${o.name} ${o.cpu.toFixed(1)} s`), `unattributed ${cpu.unattributed.toFixed(1)} s`].join(', ')}); machine ${(cpu.machineBusy * 100).toFixed(0)}% busy`
        : `${label}  CPU: not measured (no /proc)`,
    );
    console.log(
      `${indent}  PostgreSQL: ${db.active.toFixed(1)} active sessions, ${db.lockWaits.toFixed(1)} waiting for a lock (in ${(db.samplesWithLockWait * 100).toFixed(0)}% of ${db.samples} samples), ${db.idleInTransaction.toFixed(1)} idle in transaction; active sessions' waits: ${db.topWaits.map((wait) => `${wait.event} ${(wait.share * 100).toFixed(0)}%`).join(', ')}`,
    );
    if (db.topLockedStatement)
      console.log(
        `${indent}  most frequent statement waiting for a lock (${(db.topLockedStatement.share * 100).toFixed(0)}% of lock waits): ${abbreviate(db.topLockedStatement.statement)}`,
      );
    console.log(
      `${indent}  HTTP: ${wide.polls} polls, GET /api/runs/:id ${ms(wide.pollMs)} each; server + workers up in ${seconds(config.startupMs).trim()}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function listFromEnv(name: string, fallback: readonly number[]): readonly number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isSafeInteger(value) || value < 1 || value > 32))
    throw new Error(`${name} must be a comma-separated list of worker counts from 1 to 32, got "${raw}"`);
  return values;
}

/** The start and the end of a long SQL statement. */
function abbreviate(statement: string): string {
  return statement.length <= 160 ? statement : `${statement.slice(0, 70)} … ${statement.slice(-80)}`;
}

function seconds(value: number): string {
  return `${(value / 1000).toFixed(1).padStart(5)} s`;
}

function ms(value: number): string {
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ms`;
}

function fixed(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function ratio(value: number): string {
  return `${value.toFixed(value < 0.1 ? 3 : 2)}x`;
}

if (isMainModule(import.meta.url)) await benchDistributedThroughput();
