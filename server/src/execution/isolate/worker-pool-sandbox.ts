import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { StepRequest, RunningTask, StepLimits, StepSandbox } from './step-sandbox.port.js';
import type {
  DisposeTask,
  DisposeTaskResult,
  IsolateTask,
  LoadTask,
  LoadTaskResult,
  ObjectStoreSettings,
  SensorTask,
  SensorTaskResult,
  StepTask,
  StepTaskResult,
} from './step-task.js';
import { TaskSupervisor, type TaskHandlers } from './task-supervisor.js';

export interface WorkerPoolSandboxOptions {
  /** The project's entry module, loaded by each isolate. */
  readonly entry: string;
  /** The hash of the graph the engine loaded from it. */
  readonly graphHash: string;
  readonly objectStore: ObjectStoreSettings;
  /** Isolates per memory limit: the steps this process runs at once. */
  readonly concurrency: number;
  /** How long a stopped task may take to end before its isolate is terminated. */
  readonly graceMs: number;
  /** Sensors' time limit (a sensor that hangs must not hold the scheduler). */
  readonly sensorTimeoutMs?: number;
  /** Where a resource's failed `dispose` is reported (default: stderr). */
  readonly onDisposeError?: (message: string) => void;
}

const IDLE_TIMEOUT_MS = 60_000;
const DEFAULT_SENSOR_TIMEOUT_MS = 60_000;
// How long closing waits for every thread to take its dispose task (and so for their disposes).
const DISPOSE_WAIT_MS = 10_000;
/** The longest close() waits for the threads' disposes before terminating them. */
export const SANDBOX_CLOSE_BOUND_MS = 3 * DISPOSE_WAIT_MS;

/**
 * Runs user code in warm pools of worker threads (Piscina), one pool per heap limit, since a
 * thread's limit is fixed when it starts. A thread that dies (out of memory, `process.exit()`,
 * an uncaught error) or is terminated fails only its task; Piscina starts a fresh one.
 */
export class WorkerPoolSandbox implements StepSandbox {
  private readonly pools = new Map<number | 'default', Piscina>();
  private readonly retired = new Set<Piscina>();
  // Tasks under way per pool (Piscina does not say which threads are busy).
  private readonly busy = new Map<Piscina, number>();
  private graphHash: string;

  constructor(private readonly options: WorkerPoolSandboxOptions) {
    this.graphHash = options.graphHash;
  }

  runStep(request: StepRequest, handlers: TaskHandlers, limits: StepLimits): RunningTask<StepTaskResult> {
    const supervisor = new TaskSupervisor<StepTaskResult>(handlers, {
      ...limits,
      graceMs: this.options.graceMs,
      what: `asset ${request.assetKey}`,
    });
    const task: StepTask = {
      ...request,
      type: 'step',
      definitions: { entry: this.options.entry, graphHash: this.graphHash },
      objectStore: this.options.objectStore,
      port: supervisor.isolatePort,
    };
    return this.start(this.poolFor(limits.memoryBytes), task, supervisor);
  }

  runSensor(sensorName: string, cursor: string | undefined, handlers: TaskHandlers): RunningTask<SensorTaskResult> {
    const supervisor = new TaskSupervisor<SensorTaskResult>(handlers, {
      timeoutMs: this.options.sensorTimeoutMs ?? DEFAULT_SENSOR_TIMEOUT_MS,
      graceMs: this.options.graceMs,
      what: `sensor ${sensorName}`,
    });
    const task: SensorTask = {
      type: 'sensor',
      definitions: { entry: this.options.entry, graphHash: this.graphHash },
      sensorName,
      cursor,
      port: supervisor.isolatePort,
    };
    return this.start(this.poolFor(undefined), task, supervisor);
  }

  async warm(): Promise<void> {
    const pool = this.poolFor(undefined);
    // One load per thread: a thread busy loading is not handed the next one.
    const loads = Array.from({ length: this.options.concurrency }, () => {
      const supervisor = new TaskSupervisor<LoadTaskResult>(
        { log: () => {}, checkpoint: () => Promise.reject(new Error('nothing to checkpoint while loading')) },
        { graceMs: this.options.graceMs, what: `the definitions of ${this.options.entry}` },
      );
      const task: LoadTask = {
        type: 'load',
        definitions: { entry: this.options.entry, graphHash: this.graphHash },
        port: supervisor.isolatePort,
      };
      return this.start(pool, task, supervisor).outcome;
    });
    for (const outcome of await Promise.all(loads)) {
      if (!outcome.ok) throw new Error(outcome.error.message);
    }
  }

  async definitionsChanged(graphHash: string): Promise<void> {
    if (graphHash === this.graphHash) return;
    this.graphHash = graphHash;
    // ES modules cannot be unloaded: new definitions need new threads. Old threads finish the
    // tasks they have, then go.
    for (const pool of this.pools.values()) this.retire(pool);
    this.pools.clear();
    // Best effort: an isolate that cannot load them fails its step with the reason anyway.
    await this.warm().catch(() => {});
  }

  async close(): Promise<void> {
    // The engine has stopped its steps (or given up waiting for them): nothing left to wait for.
    const pools = [...this.pools.values()];
    const retired = [...this.retired];
    this.pools.clear();
    this.retired.clear();
    // A thread still running a task (one that ignored its stop) is terminated as it is: the
    // idle threads alone get a dispose task, so none waits for it. Retired pools had theirs
    // queued when they were retired.
    await Promise.all([
      ...pools.map(async (pool) =>
        this.dispose(pool, pool.maxThreads - (this.busy.get(pool) ?? 0)).finally(() => pool.destroy()),
      ),
      ...retired.map((pool) => pool.destroy()),
    ]);
  }

  /**
   * Runs each resource's `dispose` in the threads that created it. Piscina terminates its
   * threads without a word to the code in them, so every thread gets a dispose task first.
   * A thread that died (a crash, out of memory) took its instances with it, undisposed.
   */
  private async dispose(pool: Piscina, threads: number): Promise<void> {
    if (threads <= 0) return;
    const task: DisposeTask = { type: 'dispose', barrier: new SharedArrayBuffer(4), threads, waitMs: DISPOSE_WAIT_MS };
    const report = this.options.onDisposeError ?? ((message) => console.error(`weir: ${message}`));
    const settled = Promise.allSettled(
      Array.from({ length: threads }, () => pool.run(task) as Promise<DisposeTaskResult>),
    );
    // A dispose that never returns must not hold the shutdown: its thread is terminated.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), SANDBOX_CLOSE_BOUND_MS);
    });
    const results = await Promise.race([settled, timedOut]).finally(() => clearTimeout(timer));
    if (results === 'timeout') {
      report(`disposing resources took over ${SANDBOX_CLOSE_BOUND_MS / 1000}s: the isolates were terminated`);
      return;
    }
    for (const result of results) {
      if (result.status === 'rejected') report(`disposing resources: ${(result.reason as Error).message}`);
      else result.value.forEach(report);
    }
  }

  private start<Result>(
    pool: Piscina,
    task: Exclude<IsolateTask, DisposeTask>,
    supervisor: TaskSupervisor<Result>,
  ): RunningTask<Result> {
    const running = pool.run(task, { transferList: [task.port], signal: supervisor.termination.signal });
    this.busy.set(pool, (this.busy.get(pool) ?? 0) + 1);
    void running.catch(() => {}).finally(() => this.busy.set(pool, this.busy.get(pool)! - 1));
    return { outcome: supervisor.settle(running), stop: (kind, message) => supervisor.stop(kind, message) };
  }

  private poolFor(memoryBytes: number | undefined): Piscina {
    const key = memoryBytes ?? 'default';
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new Piscina({
        filename: isolateWorkerUrl(),
        // The default pool keeps all its threads (warmed with the definitions the engine loaded);
        // pools of assets with a memory limit of their own shrink when idle.
        minThreads: key === 'default' ? this.options.concurrency : 0,
        maxThreads: this.options.concurrency,
        idleTimeout: IDLE_TIMEOUT_MS,
        // Retired pools (reloaded definitions) wait for their steps, however long they take.
        closeTimeout: 2 ** 31 - 1,
        // Flags of the engine's process (a debugger, a loader) are not the isolates' business.
        execArgv: process.execArgv.filter((flag) => flag === '--enable-source-maps'),
        ...(memoryBytes === undefined
          ? {}
          : { resourceLimits: { maxOldGenerationSizeMb: Math.max(16, Math.floor(memoryBytes / 1024 ** 2)) } }),
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  private retire(pool: Piscina): void {
    this.retired.add(pool);
    // Dispose tasks queue behind the steps the threads still run, then the pool closes.
    void this.dispose(pool, pool.maxThreads)
      .then(() => pool.close())
      .catch(() => pool.destroy())
      .finally(() => this.retired.delete(pool));
  }
}

/**
 * The compiled isolate entry. Under the test runner this module is the TypeScript source, which
 * a plain worker thread cannot load: the isolates then run the build output next to it.
 */
function isolateWorkerUrl(): string {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return new URL('./isolate-worker.js', import.meta.url).href;
  const compiled = here
    .replace(/\/server\/src\//, '/server/dist/src/')
    .replace(/worker-pool-sandbox\.ts$/, 'isolate-worker.js');
  return pathToFileURL(compiled).href;
}
