import { In, type DataSource } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import type { RetryPolicySpec } from '../sdk/retry.js';
import { AttemptEntity } from '../storage/entities/attempt.entity.js';
import { RunEntity } from '../storage/entities/run.entity.js';
import { StepEntity } from '../storage/entities/step.entity.js';
import type { Clock } from './clock.js';
import type { StepJob } from '../execution/executor.port.js';
import { decideRetry, resolveRetryPolicy } from './retry-policy.js';
import { failAttempt, type FailureOutcome } from './step-transitions.js';

/** What the database says must happen next, after a (re)start. */
export interface RecoveryPlan {
  /** Attempts found running on a dead worker, now recorded as lost. */
  readonly lost: ReadonlyArray<{ runId: string; stepId: string; attempt: number; outcome: FailureOutcome }>;
  /** Runs that are not finished and must be advanced. */
  readonly activeRunIds: readonly string[];
  /** Steps waiting in the queue (their jobs may have died with the process). */
  readonly queued: ReadonlyArray<StepJob>;
  /** Steps waiting for a retry, with when it is due. */
  readonly retries: ReadonlyArray<StepJob & { at: Date }>;
}

/**
 * Reads back the engine's durable state after a start. `isDead` tells which running attempts
 * belong to workers that are gone (embedded: every worker but this process; distributed:
 * those whose heartbeat stopped); each is recorded as lost and retried per its policy.
 */
export async function recoverState(
  dataSource: DataSource,
  graph: AssetGraph,
  retryDefaults: RetryPolicySpec,
  clock: Clock,
  isDead: (attempt: AttemptEntity) => boolean,
): Promise<RecoveryPlan> {
  const running = await dataSource.getRepository(AttemptEntity).findBy({ status: 'running' });
  const lost: Array<{ runId: string; stepId: string; attempt: number; outcome: FailureOutcome }> = [];
  for (const attempt of running.filter(isDead)) {
    const step = await dataSource.getRepository(StepEntity).findOneBy({ id: attempt.stepId });
    if (!step) continue;
    const definition = graph.has(step.assetKey) ? graph.get(step.assetKey) : undefined;
    const policy = resolveRetryPolicy(definition?.kind === 'asset' ? definition.retry : undefined, retryDefaults);
    const error = new Error(`worker ${attempt.workerId} stopped during attempt ${attempt.number}`);
    const outcome = await dataSource.transaction((m) =>
      failAttempt(m, {
        stepId: step.id,
        attemptId: attempt.id,
        errorKind: 'lost',
        message: error.message,
        stack: null,
        decision: decideRetry(policy, attempt.number, error),
        now: clock.now(),
      }),
    );
    lost.push({ runId: step.runId, stepId: step.id, attempt: attempt.number + 1, outcome });
  }
  const activeRuns = await dataSource
    .getRepository(RunEntity)
    .find({ where: { status: In(['queued', 'running']) }, order: { createdAt: 'ASC' } });
  const activeRunIds = activeRuns.map((run) => run.id);
  const waiting = activeRunIds.length
    ? await dataSource.getRepository(StepEntity).find({
        where: { runId: In(activeRunIds), status: In(['queued', 'retry_scheduled']) },
        order: { ordinal: 'ASC' },
      })
    : [];
  return {
    lost,
    activeRunIds,
    queued: waiting.filter((s) => s.status === 'queued').map((s) => ({ runId: s.runId, stepId: s.id, attempt: s.attemptCount + 1 })),
    retries: waiting
      .filter((s) => s.status === 'retry_scheduled')
      .map((s) => ({ runId: s.runId, stepId: s.id, attempt: s.attemptCount + 1, at: s.nextAttemptAt ?? clock.now() })),
  };
}
