import type { DataSource } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import type { ObjectStore } from '../io/object-store.port.js';
import { encodeOutput } from '../io/payload-codec.js';
import type { RetryPolicySpec } from '../sdk/retry.js';
import type { AnyAsset } from '../sdk/asset.js';
import type { Clock } from '../runs/clock.js';
import { decideRetry, isNonRetryable, resolveRetryPolicy } from '../runs/retry-policy.js';
import { deliverUpstreamEvent } from '../automation/upstream-events.js';
import { endRunIfComplete, releaseDependents } from '../runs/run-completion.js';
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
import { runChecks } from './check-runner.js';
import { loadResumeState } from './checkpoint-store.js';
import { loadInputs } from './input-loader.js';
import { createStepContext } from './step-context.js';
import { StepLogger } from './step-logger.js';

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
      /** Downstream steps this success made ready, to dispatch. */
      readonly ready: readonly StepJob[];
      readonly runFinished: boolean;
    }
  | { readonly kind: 'failed'; readonly runId: string; readonly stepId: string }
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
}

/**
 * Runs one step attempt: claims the step, loads its inputs, calls `materialize`, stores the
 * output, and commits the materialization with the step's success in one transaction; or
 * records the failure and the retry decision. Safe to call twice for the same job: only the
 * delivery that claims the queued step does anything.
 */
export class StepRunner {
  private readonly controllers = new Map<string, { runId: string; controller: AbortController }>();

  constructor(private readonly options: StepRunnerOptions) {}

  /** Aborts `ctx.signal` of every running attempt (shutdown, cancellation). */
  abortAll(reason: string): void {
    for (const { controller } of this.controllers.values()) controller.abort(new Error(reason));
  }

  /** Aborts `ctx.signal` of this process's running attempts of a run (it is being cancelled). */
  abortRun(runId: string): void {
    for (const entry of this.controllers.values()) {
      if (entry.runId === runId) entry.controller.abort(new Error(`run ${runId} was canceled`));
    }
  }

  /** Aborts `ctx.signal` of the given attempts, if they run here. */
  abortAttempts(attemptIds: readonly string[], reason: string): void {
    for (const id of attemptIds) this.controllers.get(id)?.controller.abort(new Error(reason));
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
    const controller = new AbortController();
    this.controllers.set(attempt.id, { runId: step.runId, controller });
    let definition: AnyAsset | undefined;
    try {
      const graph = this.options.graph();
      if (!graph.has(step.assetKey))
        throw new SystemError(`asset ${step.assetKey} is not defined any more (definitions were reloaded)`);
      const found = graph.get(step.assetKey);
      if (found.kind !== 'asset')
        throw new SystemError(`${step.assetKey} is a source asset and cannot be materialized`);
      definition = found;
      const inputs =
        graph.inputsOf(step.assetKey).length === 0
          ? {}
          : await dataSource.transaction((m) => loadInputs(m, this.options.objectStore, graph, step));
      const resume = await loadResumeState(dataSource, this.options.objectStore, step.id, attempt);
      const { ctx, metadata } = createStepContext({
        assetKey: step.assetKey,
        runId: step.runId,
        stepId: step.id,
        attemptId: attempt.id,
        attemptNumber: attempt.number,
        partitionKey: step.partitionKey,
        logger,
        signal: controller.signal,
        objectStore: this.options.objectStore,
        keyPrefix,
        dataSource,
        inlineLimit: this.options.inlineLimit,
        resume,
      });
      const value = await definition.materialize(ctx, inputs as never);
      const output = await encodeOutput(value, {
        store: this.options.objectStore,
        keyPrefix,
        inlineLimit: this.options.inlineLimit,
      });
      // On the output as stored, before anything commits, so results commit with it.
      const checks = await runChecks(definition.checks, ctx, output, this.options.objectStore);
      await logger.flush();
      const codeVersion = definition.codeVersion;
      // The materialization, the step's success, the release of its dependents and the end of
      // the run (if this was the last step) commit together.
      const outcome = await dataSource.transaction(async (m) => {
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
        // A blocking check failed: the output is recorded, but neither automation nor the
        // downstream steps get it; the engine then moves the run on as for any failed step.
        if (completed.blocked) return 'blocked' as const;
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
        return { materialization, ready: await releaseDependents(m, step.dependents, step.runId) };
      });
      if (!outcome) return { kind: 'ignored', ...job };
      if (outcome === 'blocked') return { kind: 'failed', ...job };
      // After the commit, so that of two last steps ending together at least the later one
      // sees both ended; and without locking the run row in every step's transaction.
      const runFinished = await endRunIfComplete(dataSource, step.runId, clock.now());
      return { kind: 'succeeded', ...job, materialization: outcome.materialization, ready: outcome.ready, runFinished };
    } catch (error) {
      await logger.flush().catch(() => {});
      const outcome = await this.recordFailure(step.id, attempt.id, attempt.number, definition, error);
      return settlementOf(outcome, job);
    } finally {
      this.controllers.delete(attempt.id);
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
    const errorKind: AttemptErrorKind =
      error instanceof SystemError ? 'system' : isNonRetryable(error, policy) ? 'non_retryable' : 'user';
    const decision =
      error instanceof SystemError
        ? { retry: false as const, reason: 'the step cannot run' }
        : decideRetry(policy, attemptNumber, error, this.options.random);
    const { message, stack } = describeError(error);
    return this.options.dataSource.transaction(async (m) => {
      const now = this.options.clock.now();
      // Whatever the error (usually the abort of ctx.signal), a step of a run being cancelled
      // ends as canceled, without a retry.
      if (await isRunCanceling(m, stepId)) return cancelAttempt(m, { stepId, attemptId, now });
      return failAttempt(m, { stepId, attemptId, errorKind, message, stack, decision, now });
    });
  }
}

/** A failure of Weir's own making around the step, not of the asset code: never retried. */
class SystemError extends Error {}

export function settlementOf(outcome: FailureOutcome, job: StepJob): StepSettlement {
  if (outcome.kind === 'retry') return { kind: 'retry', ...job, at: outcome.at };
  if (outcome.kind === 'failed') return { kind: 'failed', ...job };
  return { kind: 'ignored', ...job };
}

export function describeError(error: unknown): { message: string; stack: string | null } {
  if (error instanceof Error) return { message: error.message || error.name, stack: error.stack ?? null };
  return { message: `non-Error value thrown: ${String(error)}`, stack: null };
}
