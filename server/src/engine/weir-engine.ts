import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { DataSource } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import type { ObjectStore } from '../io/object-store.port.js';
import type { RetryPolicySpec } from '../sdk/retry.js';
import type { Executor, StepJob } from '../execution/executor.port.js';
import { StepRunner, type MaterializedEvent, type StepSettlement } from '../execution/step-runner.js';
import { InlineSandbox } from '../execution/isolate/inline-sandbox.js';
import type { StepSandbox } from '../execution/isolate/step-sandbox.port.js';

export type { MaterializedEvent };
import { systemClock, type Clock } from '../runs/clock.js';
import { RetryScheduler } from '../runs/retry-scheduler.js';
import { RunCoordinator } from '../runs/run-coordinator.js';
import { planRun, type RunRequest } from '../runs/run-planner.js';
import { planReexecution, type ReexecutionMode, type ReexecutionOptions } from '../runs/run-reexecution.js';
import { cancelRun } from '../runs/run-cancellation.js';
import { getRunView, listRunViews, resolveRunId, type RunView } from '../runs/run-queries.js';
import { Reconciler, type LostAttemptRule, type ReconcileReport } from '../runs/reconciler.js';
import { listRunEvents, type EventView } from '../storage/event-log.js';
import { saveSnapshot } from '../storage/snapshot-store.js';
import { freshnessReport, type FreshnessView } from '../freshness/freshness-report.js';
import { addDynamicPartitionKeys, listAssetPartitions, type AssetPartitionsView } from '../runs/partition-queries.js';

export interface WeirEngineOptions {
  readonly dataSource: DataSource;
  readonly objectStore: ObjectStore;
  readonly executor: Executor;
  readonly graph: AssetGraph;
  readonly inlineLimit: number;
  readonly retryDefaults: RetryPolicySpec;
  readonly clock?: Clock;
  /** Source of randomness for retry jitter (tests make it deterministic). */
  readonly random?: () => number;
  /** Concurrency pool limits, across all workers (`WEIR_POOLS`). */
  readonly pools?: Readonly<Record<string, number>>;
  /**
   * Where user code runs: the worker-thread pool in every Weir process (see `openWeir`). By
   * default, on the engine's own thread (engines built from in-memory definitions, in tests).
   */
  readonly sandbox?: StepSandbox;
  /** Project defaults of the attempt limits (`WEIR_STEP_TIMEOUT`, `WEIR_STEP_MEMORY`). */
  readonly stepTimeoutMs?: number;
  readonly stepMemoryBytes?: number;
}

/** How long running steps get to finish when the engine stops (SIGTERM), before their signal aborts. */
export const STOP_GRACE_MS = 5_000;

/**
 * The longest {@link WeirEngine.stop} takes: the drain, the same again once the steps' signals
 * have aborted, then the sandbox's close (its own bound). A process manager must allow more than
 * this between SIGTERM and SIGKILL (`terminationGracePeriodSeconds` in docker/k8s).
 */
export function stopBoundMs(sandboxCloseBoundMs: number, graceMs = STOP_GRACE_MS): number {
  return 2 * graceMs + sandboxCloseBoundMs;
}

/** Emitted as `run-finished` with the run id, and `run-updated` whenever a run moved. */
/** How long a step whose pool is full waits before it is delivered again (on average). */
const POOL_RETRY_MS = 250;

export type EngineEvent = 'run-finished' | 'run-updated';

/**
 * The run engine of one process: plans runs, dispatches ready steps to the executor, runs
 * delivered steps, schedules retries and moves runs on as steps settle. All state lives in
 * the database, so {@link WeirEngine.start} can pick up after a crash.
 */
export class WeirEngine extends EventEmitter {
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private graphValue: AssetGraph;
  private snapshotId: string | undefined;
  readonly clock: Clock;
  private readonly coordinator: RunCoordinator;
  private readonly retries: RetryScheduler;
  private readonly runner: StepRunner;
  private readonly reconciler: Reconciler;
  /** Where this engine's user code runs. */
  readonly sandbox: StepSandbox;

  constructor(private readonly options: WeirEngineOptions) {
    super();
    this.setMaxListeners(0);
    this.graphValue = options.graph;
    this.sandbox = options.sandbox ?? new InlineSandbox(() => this.graphValue, options.objectStore);
    this.clock = options.clock ?? systemClock;
    this.coordinator = new RunCoordinator(options.dataSource, this.clock);
    this.retries = new RetryScheduler(options.dataSource, this.clock, (job) => this.dispatch(job));
    this.reconciler = new Reconciler({
      dataSource: options.dataSource,
      executor: options.executor,
      graph: () => this.graphValue,
      retryDefaults: options.retryDefaults,
      clock: this.clock,
      armRetry: (job, at) => this.retries.arm(job, at),
      advance: (runId) => this.advance(runId),
    });
    this.runner = new StepRunner({
      dataSource: options.dataSource,
      objectStore: options.objectStore,
      graph: () => this.graphValue,
      inlineLimit: options.inlineLimit,
      retryDefaults: options.retryDefaults,
      clock: this.clock,
      workerId: this.workerId,
      random: options.random,
      pools: options.pools,
      sandbox: this.sandbox,
      stepTimeoutMs: options.stepTimeoutMs,
      stepMemoryBytes: options.stepMemoryBytes,
    });
  }

  /** The metadata database this engine works on. */
  get dataSource(): DataSource {
    return this.options.dataSource;
  }

  get graph(): AssetGraph {
    return this.graphValue;
  }

  /** Where this engine's steps run (`/readyz` and `/metrics` ask it about its queue). */
  get executor(): Executor {
    return this.options.executor;
  }

  /** Where this engine's payloads live (`/readyz` probes it). */
  get objectStore(): ObjectStore {
    return this.options.objectStore;
  }

  /**
   * Records the definitions snapshot and starts taking jobs (unless this process only
   * dispatches). `recover: 'exclusive'` is for a process that is the only worker (embedded):
   * before starting it records every attempt of another worker as lost and re-dispatches what
   * the database says is queued.
   */
  async start(options: { recover?: 'exclusive' | 'none'; consume?: boolean } = {}): Promise<void> {
    this.snapshotId = await this.saveSnapshot(this.graphValue);
    if (options.consume ?? true) await this.options.executor.start((job) => this.handle(job));
    if ((options.recover ?? 'exclusive') === 'exclusive') {
      await this.reconcile({ kind: 'not-this-worker', workerId: this.workerId }, 0);
    }
  }

  /** One reconciliation pass (see {@link Reconciler}); the leading `weir server` runs them periodically. */
  reconcile(rule: LostAttemptRule, queuedGraceMs: number): Promise<ReconcileReport> {
    return this.reconciler.pass(rule, queuedGraceMs);
  }

  /**
   * Swaps in reloaded definitions. Attempts already running finish on the code they started
   * with; later attempts, in runs old or new, run the new code in fresh isolates.
   */
  async setGraph(graph: AssetGraph): Promise<void> {
    const snapshotId = await this.saveSnapshot(graph);
    // Announced once the isolates hold the new code, not before.
    await this.sandbox.definitionsChanged(graph.hash);
    this.snapshotId = snapshotId;
    this.graphValue = graph;
  }

  /** Ids of the attempts running in this process now. */
  runningAttempts(): string[] {
    return this.runner.runningAttempts();
  }

  /**
   * Plans a run for a selection (and partitions) and starts it. Resolves once it is recorded,
   * not when it ends. A request with an `idempotencyKey` already used returns that run.
   */
  async requestRun(request: RunRequest): Promise<RunView> {
    const run = await planRun(
      this.options.dataSource,
      this.graphValue,
      this.snapshotId ?? (await this.saveSnapshot(this.graphValue)),
      request,
      this.clock.now(),
    );
    await this.advance(run.id);
    return (await this.getRun(run.id))!;
  }

  /**
   * Re-executes an ended run: from its failure (succeeded steps reused, not recomputed) or
   * all of it. Resolves once the new run is recorded.
   */
  async reexecute(runId: string, mode: ReexecutionMode, options: ReexecutionOptions = {}): Promise<RunView> {
    const snapshotId = this.snapshotId ?? (await this.saveSnapshot(this.graphValue));
    const run = await planReexecution(this.options.dataSource, this.graphValue, snapshotId, runId, mode, options);
    await this.advance(run.id);
    return (await this.getRun(run.id))!;
  }

  /**
   * Cancels a run: steps not started are canceled, running ones have `ctx.signal` aborted
   * (here at once; on workers at their next heartbeat) and end as canceled.
   */
  async cancel(runId: string): Promise<RunView> {
    const outcome = await cancelRun(this.options.dataSource, runId, this.clock.now());
    this.runner.abortRun(runId);
    this.emit('run-updated', runId);
    if (outcome.finished) this.emit('run-finished', runId);
    return (await this.getRun(runId))!;
  }

  /** Aborts `ctx.signal` of attempts running in this process (their run is being cancelled). */
  abortAttempts(attemptIds: readonly string[], reason: string): void {
    this.runner.abortAttempts(attemptIds, reason);
  }

  /** The id of the stored definitions snapshot new runs are planned against. */
  async currentSnapshotId(): Promise<string> {
    return (this.snapshotId ??= await this.saveSnapshot(this.graphValue));
  }

  /** Starts a run planned elsewhere (automation): dispatches its ready steps. */
  startPlannedRun(runId: string): Promise<void> {
    return this.advance(runId);
  }

  /** Resolves with the run's final view once it has ended. */
  async waitForRun(runId: string): Promise<RunView> {
    const done = new Promise<void>((resolve) => {
      const listener = (id: string) => {
        if (id !== runId) return;
        this.off('run-finished', listener);
        resolve();
      };
      this.on('run-finished', listener);
      // The run may have ended before we started listening.
      void this.getRun(runId).then((view) => {
        if (view && ['succeeded', 'failed', 'canceled'].includes(view.status)) listener(runId);
      });
    });
    await done;
    return (await this.getRun(runId))!;
  }

  getRun(runId: string): Promise<RunView | null> {
    return getRunView(this.options.dataSource.manager, runId);
  }

  listRuns(limit = 20): Promise<RunView[]> {
    return listRunViews(this.options.dataSource.manager, limit);
  }

  resolveRunId(idOrPrefix: string): Promise<string | null> {
    return resolveRunId(this.options.dataSource.manager, idOrPrefix);
  }

  /** The freshness of every asset with a policy, evaluated now (see `weir freshness`). */
  freshness(): Promise<FreshnessView[]> {
    return freshnessReport(this.options.dataSource.manager, this.graphValue, this.clock.now());
  }

  runEvents(runId: string, afterId?: string): Promise<EventView[]> {
    return listRunEvents(this.options.dataSource.manager, runId, afterId);
  }

  /** Adds keys to a dynamic partition set; returns those that were new. */
  addDynamicPartitions(set: string, keys: readonly string[]): Promise<string[]> {
    return this.options.dataSource.transaction((manager) =>
      addDynamicPartitionKeys(manager, this.graphValue, set, keys),
    );
  }

  /** An asset's partitions now, each with its latest materialization. */
  listPartitions(assetKey: string): Promise<AssetPartitionsView> {
    return listAssetPartitions(this.options.dataSource.manager, this.graphValue, assetKey, this.clock.now());
  }

  /** Number of retries waiting for their time in this process. */
  pendingRetries(): number {
    return this.retries.pending();
  }

  /**
   * Stops timers and the executor. Running steps get `graceMs` to finish; then their
   * `ctx.signal` is aborted and, after the cancel grace period (`WEIR_CANCEL_GRACE`), their
   * isolates are terminated: each such attempt fails (kind `canceled`) and is retried per its
   * policy. After another `graceMs` the engine stops waiting: an attempt still recording is
   * recovered as lost at the next start.
   */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    this.retries.stop();
    const stopped = this.options.executor.stop();
    if (!(await settlesWithin(stopped, graceMs))) {
      this.runner.abortAll('Weir is shutting down');
      await settlesWithin(stopped, graceMs);
    }
    await this.sandbox.close();
  }

  private async handle(job: StepJob): Promise<void> {
    const settlement: StepSettlement = await this.runner.run(job);
    if (settlement.kind === 'ignored') return;
    if (settlement.kind === 'deferred') {
      // Re-delivered once this delivery has finished (a queue ignores a copy of a job that is
      // still running). Jitter spreads the waiters of a busy pool.
      const timer = setTimeout(() => void this.dispatch(job), POOL_RETRY_MS * (0.5 + Math.random()));
      timer.unref();
      return;
    }
    this.emit('run-updated', job.runId);
    if (settlement.kind === 'retry') this.retries.arm({ ...job, attempt: job.attempt + 1 }, settlement.at);
    if (settlement.kind === 'failed') {
      for (const materialization of settlement.siblings ?? []) this.emit('materialized', materialization);
      await this.dispatchAll(settlement.ready ?? []);
      await this.advance(job.runId);
    }
    if (settlement.kind === 'succeeded') {
      this.emit('materialized', settlement.materialization);
      for (const materialization of settlement.siblings) this.emit('materialized', materialization);
      await this.dispatchAll(settlement.ready);
      if (settlement.advance) await this.advance(job.runId);
      else if (settlement.runFinished) this.emit('run-finished', job.runId);
    }
  }

  private async advance(runId: string): Promise<void> {
    const result = await this.coordinator.advance(runId);
    await this.dispatchAll(result.ready);
    this.emit('run-updated', runId);
    if (result.finished) this.emit('run-finished', runId);
  }

  /**
   * Hands a queued step to the executor. A queue that is down is not fatal: the step stays
   * queued in the database and the reconciler dispatches it again.
   */
  private async dispatch(job: StepJob): Promise<void> {
    try {
      await this.options.executor.dispatch(job);
    } catch (error) {
      console.error(
        `weir: dispatch of step ${job.stepId} failed, the reconciler will retry it: ${(error as Error).message}`,
      );
    }
  }

  private async dispatchAll(jobs: readonly StepJob[]): Promise<void> {
    try {
      await this.options.executor.dispatchAll(jobs);
    } catch (error) {
      console.error(
        `weir: dispatch of ${jobs.length} step(s) failed, the reconciler will retry them: ${(error as Error).message}`,
      );
    }
  }

  private saveSnapshot(graph: AssetGraph): Promise<string> {
    return saveSnapshot(this.options.dataSource, graph.hash, graph.toSnapshot());
  }
}

/** Waits for `promise` at most `ms`; true when it settled in time. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
  const settled = await Promise.race([promise.then(() => true as const), timeout]);
  clearTimeout(timer);
  return settled;
}
