import { randomUUID } from 'node:crypto';
import type { WeirEngine } from '../engine/weir-engine.js';
import type { LeaderDuty } from '../engine/leader-duties.js';
import { PartitionError } from '../partitions/partition-keys.js';
import { loadPartitionContext, resolveBackfillKeys, type RequestedPartitions } from '../runs/partition-plan.js';
import { EmptySelectionError } from '../runs/run-planner.js';
import { appendEvents } from '../storage/event-log.js';
import { DEFAULT_MAX_CONCURRENT_RUNS } from './backfill-defaults.js';
import {
  backfillOfRun,
  insertBackfill,
  listBackfills,
  markPartitionFailed,
  markPartitionRunning,
  partitionsToLaunch,
  readBackfill,
  readBackfillSummary,
  retryFailedPartitions,
  setBackfillStatus,
  settleEndedPartitions,
  unfinishedBackfills,
  type BackfillSummary,
  type BackfillView,
  type PartitionToLaunch,
} from './backfill-store.js';

/** What `weir backfill` and `POST /api/backfills` ask for. */
export interface BackfillRequest {
  readonly selection: string;
  readonly partitions: RequestedPartitions;
  /** Partition runs in flight at once (default 4). */
  readonly maxConcurrentRuns?: number;
}

export { DEFAULT_MAX_CONCURRENT_RUNS } from './backfill-defaults.js';

// Errors that say the partition's run can never be planned: the partition fails. Others (the
// database is briefly unreachable, …) leave it pending for the next pass.
const PLANNING_ERRORS = new Set([
  'PartitionError',
  'SelectionError',
  'EmptySelectionError',
  'AssetDefinitionError',
  'ReexecutionError',
]);

export interface BackfillRunnerOptions {
  readonly engine: WeirEngine;
  /** Problems: a pass that failed, a partition that cannot run. */
  readonly log: (line: string) => void;
  /** News: a backfill ended (default: nowhere; the event log has it anyway). */
  readonly info?: (line: string) => void;
  /**
   * How often unfinished backfills are re-read (runs finished by other processes, backfills
   * created on another server); undefined: only at start and when this engine finishes a run.
   */
  readonly recheckIntervalMs?: number;
  /** Whether `start` takes over every unfinished backfill (false: only those created here). */
  readonly resume?: boolean;
}

/**
 * Runs backfills: one run per partition (`idempotencyKey: backfill:<id>:<partition>`), at most
 * `maxConcurrentRuns` in flight per backfill, the next pending partition launched when one
 * ends. All state is in `backfills` and `backfill_partitions`, so a backfill interrupted by a
 * crash resumes where it was when a runner starts again: a partition whose run succeeded is
 * never run again, one whose run was interrupted continues with that run (the engine recovers
 * it), and one whose run was planned but not recorded finds it again by its idempotency key.
 *
 * A leader duty: `weir dev` starts it directly, `weir server` on the leading server.
 */
export class BackfillRunner implements LeaderDuty {
  private started = false;
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly onRunFinished = (runId: string) => {
    void this.serialize(async () => {
      const id = await backfillOfRun(this.options.engine.dataSource.manager, runId);
      if (id) await this.pump(id);
    });
  };

  constructor(private readonly options: BackfillRunnerOptions) {}

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // Listening first, then reading: a run that ends in between is seen one way or the other.
    this.options.engine.on('run-finished', this.onRunFinished);
    if (this.options.recheckIntervalMs !== undefined) {
      this.timer = setInterval(() => void this.serialize(() => this.pumpAll()), this.options.recheckIntervalMs);
      this.timer.unref();
    }
    if (this.options.resume ?? true) await this.serialize(() => this.pumpAll());
  }

  stop(): void {
    this.started = false;
    this.options.engine.off('run-finished', this.onRunFinished);
    clearInterval(this.timer);
    this.timer = undefined;
  }

  scheduled(): number {
    return this.started ? 1 : 0;
  }

  /** Resolves once the passes queued so far have run (tests, shutdown). */
  async idle(): Promise<void> {
    await this.queue;
  }

  /**
   * Validates and records a backfill, then (when this runner is started) launches its first
   * partition runs. Every selected asset must be partitioned, in one key space.
   * @throws PartitionError, SelectionError naming what is wrong; nothing is recorded then.
   */
  async create(request: BackfillRequest): Promise<BackfillView> {
    const { engine } = this.options;
    const max = request.maxConcurrentRuns ?? DEFAULT_MAX_CONCURRENT_RUNS;
    if (!Number.isInteger(max) || max < 1 || max > 1000)
      throw new PartitionError(`the number of concurrent runs must be an integer from 1 to 1000 (got ${max})`);
    const graph = engine.graph;
    const selected = graph.select(request.selection);
    const assetKeys = selected.filter((key) => graph.get(key).kind === 'asset');
    if (assetKeys.length === 0) throw new EmptySelectionError(request.selection, selected.length > 0);
    const id = randomUUID();
    await engine.dataSource.transaction(async (manager) => {
      const ctx = await loadPartitionContext(manager, graph, assetKeys, engine.clock.now());
      const keys = resolveBackfillKeys(graph, assetKeys, request.partitions, ctx);
      await insertBackfill(manager, { id, selection: request.selection, keys, maxConcurrentRuns: max });
      await appendEvents(manager, [
        {
          type: 'backfill.created',
          message: `backfill ${id} of '${request.selection}': ${keys.length} partition(s) ${keys[0]} … ${keys.at(-1)}, at most ${max} run(s) at once`,
          data: { backfillId: id, selection: request.selection, partitions: keys.length, maxConcurrentRuns: max },
        },
      ]);
    });
    if (this.started) await this.serialize(() => this.pump(id));
    return (await this.get(id))!;
  }

  /**
   * Retries the failed partitions of a failed backfill, as Dagster's "re-execute failed" does:
   * each runs again from its failure (the steps that succeeded in its failed run are reused, not
   * recomputed; a partition that never got a run is planned afresh), with the backfill's
   * concurrency, and the backfill runs until they end. Partitions that succeeded are not touched.
   * @throws BackfillRetryError when the backfill does not exist or has not failed; nothing changes then.
   */
  async retryFailed(id: string): Promise<BackfillView> {
    const { engine } = this.options;
    await engine.dataSource.transaction(async (manager) => {
      const { keys, round } = await retryFailedPartitions(manager, id);
      await appendEvents(manager, [
        {
          type: 'backfill.retried',
          message: `backfill ${id}: retrying ${keys.length} failed partition(s) ${keys[0] ?? ''}${keys.length > 1 ? ` … ${keys.at(-1)}` : ''} from their failure (round ${round})`,
          data: { backfillId: id, partitions: keys, round },
        },
      ]);
    });
    if (this.started) await this.serialize(() => this.pump(id));
    return (await this.get(id))!;
  }

  get(id: string): Promise<BackfillView | null> {
    return readBackfill(this.options.engine.dataSource.manager, id);
  }

  list(limit: number): Promise<BackfillSummary[]> {
    return listBackfills(this.options.engine.dataSource.manager, limit);
  }

  /** One pass at a time in this process: two passes never launch the same free slot twice. */
  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch((error: unknown) =>
      this.options.log(`backfill pass failed, it will be retried: ${(error as Error).message}`),
    );
    return next;
  }

  private async pumpAll(): Promise<void> {
    for (const id of await unfinishedBackfills(this.options.engine.dataSource.manager)) await this.pump(id);
  }

  /** Settles ended partition runs, launches pending partitions into free slots, ends the backfill when all have ended. */
  private async pump(id: string): Promise<void> {
    const { engine } = this.options;
    const manager = engine.dataSource.manager;
    const backfill = await readBackfillSummary(manager, id);
    if (!backfill || (backfill.status !== 'queued' && backfill.status !== 'running')) return;
    await settleEndedPartitions(manager, id);
    const { next } = await partitionsToLaunch(manager, id, backfill.maxConcurrentRuns);
    for (const partition of next) {
      if (!this.started) return;
      await this.launch(id, backfill.selection, partition, backfill.retries);
    }
    if (backfill.status === 'queued' && next.length > 0) await setBackfillStatus(manager, id, 'running', null);
    await this.finishIfDone(id);
  }

  private async launch(id: string, selection: string, partition: PartitionToLaunch, round: number): Promise<void> {
    const { engine } = this.options;
    const manager = engine.dataSource.manager;
    const { key, failedRunId } = partition;
    // A run planned before a crash, whose partition row was not updated, is found again; each
    // retry round plans new runs.
    const idempotencyKey = round === 0 ? `backfill:${id}:${key}` : `backfill:${id}:${key}:retry-${round}`;
    const triggerDetail = { backfillId: id, partition: key };
    let runId: string;
    try {
      const run = failedRunId
        ? await engine.reexecute(failedRunId, 'from-failure', { trigger: 'backfill', triggerDetail, idempotencyKey })
        : await engine.requestRun({ selection, partitions: [key], trigger: 'backfill', triggerDetail, idempotencyKey });
      runId = run.id;
    } catch (error) {
      if (!PLANNING_ERRORS.has((error as Error).name)) throw error;
      await markPartitionFailed(manager, id, key, (error as Error).message);
      this.options.log(`backfill ${id.slice(0, 8)}: partition ${key} cannot run: ${(error as Error).message}`);
      return;
    }
    await markPartitionRunning(manager, id, key, runId);
    // The run may already have ended (found again after a crash, or very fast).
    await settleEndedPartitions(manager, id);
  }

  private async finishIfDone(id: string): Promise<void> {
    const { engine } = this.options;
    const manager = engine.dataSource.manager;
    await settleEndedPartitions(manager, id);
    const view = await readBackfillSummary(manager, id);
    if (!view || view.counts.pending > 0 || view.counts.running > 0) {
      // Slots freed by runs that ended while launching: fill them now rather than at the next event.
      if (view && view.counts.pending > 0 && view.counts.running < view.maxConcurrentRuns && this.started)
        await this.pump(id);
      return;
    }
    const status = view.counts.failed > 0 ? 'failed' : 'succeeded';
    // One transaction: a reader never sees the backfill ended without its event, nor the reverse.
    const ended = await engine.dataSource.transaction(async (tx) => {
      if (!(await setBackfillStatus(tx, id, status, engine.clock.now()))) return false;
      await appendEvents(tx, [
        {
          type: `backfill.${status}`,
          level: status === 'succeeded' ? 'info' : 'error',
          message: `backfill ${id} ${status}: ${view.counts.succeeded} partition(s) succeeded, ${view.counts.failed} failed`,
          data: { backfillId: id, ...view.counts },
        },
      ]);
      return true;
    });
    if (!ended) return;
    this.options.info?.(
      `backfill ${id.slice(0, 8)} ${status} (${view.counts.succeeded}/${view.total} partitions succeeded)`,
    );
  }
}
