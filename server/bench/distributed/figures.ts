/** Settings and figures shared by the distributed-throughput bench's parts. */
export const BULLMQ_CONCURRENCY = 8;
export const WORKER_CONCURRENCY = 4;
export const POLL_MS = 100;
export const STARTUP_TIMEOUT_MS = 60_000;
export const RUN_TIMEOUT_MS = 120_000;
export const STOP_GRACE_MS = 10_000;

export interface Sizes {
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

export interface BullMqFigures {
  readonly jobs: number;
  readonly ms: number;
  readonly addBulkMs: number;
}

/** One run as measured from outside (HTTP) and as recorded by Weir itself. */
export interface RunFigures {
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

export interface Latencies {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** CPU seconds spent by each kind of process during a run, and how busy the machine was. */
export interface CpuFigures {
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

export interface ConfigurationFigures {
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

export interface SessionFigures {
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
