import type { DataSource } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import type { ObjectStore } from '../io/object-store.port.js';
import type { EncodedOutput } from '../io/payload-codec.js';
import type { RetryPolicySpec } from '../sdk/retry.js';
import type { AnyAsset } from '../sdk/asset.js';
import type { Clock } from '../runs/clock.js';
import { decideRetry, isNonRetryable, resolveRetryPolicy } from '../runs/retry-policy.js';
import { deliverUpstreamEvent } from '../automation/upstream-events.js';
import { endRunIfComplete, holdRunForStepEnd, releaseDependents } from '../runs/run-completion.js';
import {
  cancelAttempt,
  claimStep,
  completeStep,
  failAttempt,
  isRunCanceling,
  type FailureOutcome,
} from '../runs/step-transitions.js';
import type { AttemptErrorKind } from '../storage/entities/attempt.entity.js';
import type { StepJob } from './executor.port.js';
import { CheckpointWriter, loadResumeState } from './checkpoint-store.js';
import { CommitFailedError, discardUncommittedObjects } from './commit-failure.js';
import { loadInputs } from './input-loader.js';
import { previousTableColumns } from '../tables/previous-schema.js';
import { commitSiblingOutputs, siblingStepsOf } from './multi-asset-commit.js';
import { PlannedDefinitions } from './planned-definitions.js';
import { loadStepConfig } from './step-config.js';
import { StepLogger } from './step-logger.js';
import { IsolateFailure } from './isolate/isolate-failure.js';
import type { RunningTask, StepSandbox } from './isolate/step-sandbox.port.js';
import type { StepTaskResult } from './isolate/step-task.js';
import { describeError, IsolatedError, SystemError } from './step-errors.js';
import type { StopKind } from './isolate/task-supervisor.js';

/**
 * A committed materialization, as announced to listeners (automation, freshness). Not announced
 * when a blocking asset check failed on it: it is recorded, but nothing downstream consumes it.
 */
export interface MaterializedEvent {
  readonly id: string;
  readonly assetKey: string;
  readonly partitionKey: string;
  readonly runId: string;
  readonly at: Date;
}

/** How a delivered job ended, reported so the engine can move the run on. */
export type StepSettlement =
  | {
      readonly kind: 'succeeded';
      readonly runId: string;
      readonly stepId: string;
      /** The committed materialization. */
      readonly materialization: MaterializedEvent;
      /** Those of the other multi-asset outputs this step produced too. */
      readonly siblings: readonly MaterializedEvent[];
      /** A blocking check failed on a sibling output: the run is to be re-evaluated (skips). */
      readonly advance: boolean;
      /** Downstream steps this success made ready, to dispatch. */
      readonly ready: readonly StepJob[];
      readonly runFinished: boolean;
    }
  | {
      readonly kind: 'failed';
      readonly runId: string;
      readonly stepId: string;
      /** A blocking check failed on this output, but sibling outputs committed: announce and dispatch these. */
      readonly siblings?: readonly MaterializedEvent[];
      readonly ready?: readonly StepJob[];
    }
  | { readonly kind: 'retry'; readonly runId: string; readonly stepId: string; readonly at: Date }
  | { readonly kind: 'ignored'; readonly runId: string; readonly stepId: string }
  /** Its concurrency pool is full: still queued, to be delivered again shortly. */
  | { readonly kind: 'deferred'; readonly runId: string; readonly stepId: string };

export interface StepRunnerOptions {
  readonly dataSource: DataSource;
  readonly objectStore: ObjectStore;
  /** The current asset graph (it changes when definitions reload). */
  readonly graph: () => AssetGraph;
  readonly inlineLimit: number;
  readonly retryDefaults: RetryPolicySpec;
  readonly clock: Clock;
  readonly workerId: string;
  readonly random?: () => number;
  /** Concurrency pool limits (`WEIR_POOLS`). */
  readonly pools?: Readonly<Record<string, number>>;
  /** Where `materialize` and the checks run. */
  readonly sandbox: StepSandbox;
  /** Project defaults of the attempt limits (`WEIR_STEP_TIMEOUT`, `WEIR_STEP_MEMORY`). */
  readonly stepTimeoutMs?: number;
  readonly stepMemoryBytes?: number;
}

/**
 * Runs one step attempt: claims the step, finds its inputs, has the sandbox run `materialize`
 * and the checks (in an isolate, which stores the output itself), and commits the
 * materialization with the step's success in one transaction; or records the failure and the
 * retry decision. Safe to call twice for the same job: only the delivery that claims the
 * queued step does anything.
 */
export class StepRunner {
  /** This process's attempts; a stop asked for before the task started is applied when it does. */
  private readonly running = new Map<string, RunningAttempt>();

  private readonly planned: PlannedDefinitions;

  constructor(private readonly options: StepRunnerOptions) {
    this.planned = new PlannedDefinitions(options.dataSource);
  }

  /**
   * Stops every running attempt (shutdown): `ctx.signal` aborts now, and an attempt still
   * running after the grace period has its isolate terminated.
   */
  abortAll(reason: string): void {
    for (const entry of this.running.values()) this.stop(entry, 'canceled', reason);
  }

  /** Stops this process's running attempts of a run (it is being cancelled). */
  abortRun(runId: string): void {
    for (const entry of this.running.values()) {
      if (entry.runId === runId) this.stop(entry, 'canceled', `run ${runId} was canceled`);
    }
  }

  /** Stops the given attempts, if they run here. */
  abortAttempts(attemptIds: readonly string[], reason: string): void {
    for (const id of attemptIds) {
      const entry = this.running.get(id);
      if (entry) this.stop(entry, 'canceled', reason);
    }
  }

  private stop(entry: RunningAttempt, kind: StopKind, message: string): void {
    entry.stopped ??= { kind, message };
    entry.task?.stop(kind, message);
  }

  /** Attempts running in this process now. */
  runningAttempts(): string[] {
    return [...this.running.keys()];
  }

  async run(job: StepJob): Promise<StepSettlement> {
    const { dataSource, clock, workerId } = this.options;
    const claimed = await dataSource.transaction((m) =>
      claimStep(m, job.stepId, workerId, () => clock.now(), this.options.pools),
    );
    if (!claimed) return { kind: 'ignored', ...job };
    if (claimed === 'pool-full') return { kind: 'deferred', ...job };
    const { step, attempt } = claimed;
    const keyPrefix = `runs/${step.runId}/${step.id}/${attempt.id}`;
    const logger = new StepLogger(dataSource, {
      runId: step.runId,
      stepId: step.id,
      attemptId: attempt.id,
      assetKey: step.assetKey,
    });
    const entry: RunningAttempt = { runId: step.runId };
    this.running.set(attempt.id, entry);
    let definition: AnyAsset | undefined;
    try {
      const graph = this.options.graph();
      if (!graph.has(step.assetKey))
        throw new SystemError(`asset ${step.assetKey} is not defined any more (definitions were reloaded)`);
      const found = graph.get(step.assetKey);
      if (found.kind !== 'asset')
        throw new SystemError(`${step.assetKey} is a source asset and cannot be materialized`);
      definition = found;
      const incompatible = await this.planned.incompatibility(step.runId, graph, found);
      if (incompatible) throw new SystemError(incompatible);
      const inputs =
        graph.inputsOf(step.assetKey).length === 0
          ? {}
          : await dataSource.transaction((m) => loadInputs(m, graph, step));
      const previousColumns = await previousTableColumns(dataSource.manager, step.assetKey, step.partitionKey);
      const resume = await loadResumeState(dataSource, this.options.objectStore, step.id, attempt);
      const config = await loadStepConfig(dataSource, step.runId, step.assetKey);
      // The other outputs of a multi-asset planned to wait on this step: produced by the same call.
      const siblings = (await siblingStepsOf(dataSource.manager, graph, step)).map((sibling) => sibling.assetKey);
      const checkpoints = new CheckpointWriter(
        {
          dataSource,
          objectStore: this.options.objectStore,
          inlineLimit: this.options.inlineLimit,
          keyPrefix,
          runId: step.runId,
          stepId: step.id,
          attemptId: attempt.id,
          attemptNumber: attempt.number,
          assetKey: step.assetKey,
        },
        resume.saved,
        () => logger.flush(),
      );
      const task = this.options.sandbox.runStep(
        {
          assetKey: step.assetKey,
          runId: step.runId,
          stepId: step.id,
          attemptId: attempt.id,
          attemptNumber: attempt.number,
          partitionKey: step.partitionKey,
          keyPrefix,
          inlineLimit: this.options.inlineLimit,
          inputs,
          ...(previousColumns ? { previousTableColumns: previousColumns } : {}),
          resume: resume.state,
          config,
          ...(siblings.length > 0 ? { siblings } : {}),
        },
        {
          log: (level, message, data) => logger.addSafe(level, message, data),
          checkpoint: (json) => checkpoints.saveJson(json),
        },
        {
          timeoutMs: definition.timeoutMs ?? this.options.stepTimeoutMs,
          memoryBytes: definition.memoryBytes ?? this.options.stepMemoryBytes,
        },
      );
      entry.task = task;
      if (entry.stopped) task.stop(entry.stopped.kind, entry.stopped.message);
      const result = await task.outcome;
      if (!result.ok) throw new IsolatedError(result.error);
      const { output, metadata, checks } = result;
      await logger.flush();
      const codeVersion = definition.codeVersion;
      // The materialization, the step's success, the release of its dependents and the end of
      // the run (if this was the last step) commit together.
      const outcome = await this.commit(
        async () =>
          dataSource.transaction(async (m) => {
            await holdRunForStepEnd(m, step.runId);
            const now = clock.now();
            const completed = await completeStep(m, {
              stepId: step.id,
              attemptId: attempt.id,
              output,
              metadata,
              codeVersion,
              checks,
              now,
            });
            if (!completed) return undefined;
            const others = await commitSiblingOutputs(
              m,
              graph,
              { step, attemptId: attempt.id },
              result.siblings ?? [],
              metadata,
              now,
            );
            // A blocking check failed: the output is recorded, but neither automation nor the
            // downstream steps get it; the engine then moves the run on as for any failed step.
            if (completed.blocked) return { blocked: true as const, others };
            const { materializationId } = completed;
            await deliverUpstreamEvent(m, graph, {
              assetKey: step.assetKey,
              partitionKey: step.partitionKey,
              materializationId,
            });
            const materialization: MaterializedEvent = {
              id: materializationId,
              assetKey: step.assetKey,
              partitionKey: step.partitionKey,
              runId: step.runId,
              at: now,
            };
            // After the siblings: those completed above are not queued as dependents of this step.
            const ready = await releaseDependents(m, step.dependents, step.runId);
            return { blocked: false as const, materialization, others, ready: [...others.ready, ...ready] };
          }),
        { id: attempt.id, keyPrefix },
        output,
        logger,
      );
      if (!outcome) return { kind: 'ignored', ...job };
      if (outcome.blocked) {
        return { kind: 'failed', ...job, siblings: outcome.others.materializations, ready: outcome.others.ready };
      }
      // After the commit, so that of two last steps ending together at least the later one
      // sees both ended; and without locking the run row in every step's transaction.
      const runFinished = await endRunIfComplete(dataSource, step.runId, clock.now());
      return {
        kind: 'succeeded',
        ...job,
        materialization: outcome.materialization,
        siblings: outcome.others.materializations,
        advance: outcome.others.blocked,
        ready: outcome.ready,
        runFinished,
      };
    } catch (error) {
      await logger.flush().catch(() => {});
      const outcome = await this.recordFailure(step.id, attempt.id, attempt.number, definition, error);
      return settlementOf(outcome, job);
    } finally {
      this.running.delete(attempt.id);
    }
  }

  /**
   * Runs the commit; when it fails, the attempt's stored objects are deleted (they would be
   * orphans: the next attempt writes its own) and the failure becomes a {@link CommitFailedError}.
   */
  private async commit<T>(
    transaction: () => Promise<T>,
    attempt: { id: string; keyPrefix: string },
    output: EncodedOutput,
    logger: StepLogger,
  ): Promise<T> {
    try {
      return await transaction();
    } catch (error) {
      const discarded = await discardUncommittedObjects(
        this.options.dataSource,
        this.options.objectStore,
        attempt,
        output,
      );
      logger.addSafe(
        discarded.left ? 'warn' : 'info',
        discarded.left
          ? `the commit failed; ${discarded.deleted} stored object(s) deleted, the rest left for weir gc: ${discarded.left}`
          : `the commit failed; the ${discarded.deleted} object(s) the attempt stored (${discarded.bytes} bytes) were deleted`,
        { deleted: discarded.deleted, bytes: discarded.bytes },
      );
      throw new CommitFailedError(error);
    }
  }

  private async recordFailure(
    stepId: string,
    attemptId: string,
    attemptNumber: number,
    definition: AnyAsset | undefined,
    error: unknown,
  ): Promise<FailureOutcome> {
    const policy = resolveRetryPolicy(definition?.retry, this.options.retryDefaults);
    const system = error instanceof SystemError || (error instanceof IsolatedError && error.system);
    const nonRetryable = error instanceof IsolatedError ? error.nonRetryable : isNonRetryable(error, policy);
    const errorKind: AttemptErrorKind = system
      ? 'system'
      : error instanceof IsolateFailure
        ? error.kind
        : error instanceof CommitFailedError
          ? 'commit_failed'
          : nonRetryable
            ? 'non_retryable'
            : 'user';
    const decision = system
      ? { retry: false as const, reason: 'the step cannot run' }
      : nonRetryable
        ? { retry: false as const, reason: 'the error is marked non-retryable' }
        : decideRetry(policy, attemptNumber, error, this.options.random);
    const { message, stack } = describeError(error);
    return this.options.dataSource.transaction(async (m) => {
      const now = this.options.clock.now();
      // Whatever the error (usually the abort of ctx.signal), a step of a run being cancelled
      // ends as canceled, without a retry.
      if (await isRunCanceling(m, stepId)) {
        return cancelAttempt(m, {
          stepId,
          attemptId,
          now,
          message: error instanceof IsolateFailure ? message : undefined,
        });
      }
      return failAttempt(m, { stepId, attemptId, errorKind, message, stack, decision, now });
    });
  }
}

/** An attempt of this process, and the stop asked for it (kept until its task has started). */
interface RunningAttempt {
  readonly runId: string;
  task?: RunningTask<StepTaskResult>;
  stopped?: { kind: StopKind; message: string };
}

export function settlementOf(outcome: FailureOutcome, job: StepJob): StepSettlement {
  if (outcome.kind === 'retry') return { kind: 'retry', ...job, at: outcome.at };
  if (outcome.kind === 'failed') return { kind: 'failed', ...job };
  return { kind: 'ignored', ...job };
}
