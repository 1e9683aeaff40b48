import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AttemptErrorKind } from '../storage/entities/attempt.entity.js';
import { AttemptEntity } from '../storage/entities/attempt.entity.js';
import type { TableMetadata } from '../sdk/table-metadata.js';
import { MaterializationEntity, type OutputValueType } from '../storage/entities/materialization.entity.js';
import { StepEntity } from '../storage/entities/step.entity.js';
import { appendEvents } from '../storage/event-log.js';
import type { JsonValue } from '../storage/json-value.js';
import type { PayloadRef } from '../sdk/payload-ref.js';
import { formatDuration } from '../sdk/duration.js';
import type { RetryDecision } from './retry-policy.js';
import {
  blockingFailure,
  outputCheckEvents,
  recordCheckResults,
  storedOutputEventData,
  type CheckRecord,
} from './check-results.js';

// Every function here runs inside the caller's transaction and locks the step row first, so
// concurrent or repeated deliveries of the same step serialize on it and only one wins.

async function lockStep(manager: EntityManager, stepId: string): Promise<StepEntity | null> {
  return manager.getRepository(StepEntity).findOne({ where: { id: stepId }, lock: { mode: 'pessimistic_write' } });
}

export interface ClaimedStep {
  readonly step: StepEntity;
  readonly attempt: AttemptEntity;
}

/**
 * Starts the next attempt of a queued step. Returns null when the step is not queued any
 * more (a duplicate delivery, or a job for a step that already ended): the caller does nothing.
 * Returns 'pool-full' when the step's concurrency pool is at its limit: the step stays queued
 * and the caller tries again a little later.
 */
export async function claimStep(
  manager: EntityManager,
  stepId: string,
  workerId: string,
  clock: () => Date,
  pools: Readonly<Record<string, number>> = {},
): Promise<ClaimedStep | null | 'pool-full'> {
  const step = await lockStep(manager, stepId);
  if (!step || step.status !== 'queued') return null;
  const limit = step.pool ? pools[step.pool] : undefined;
  if (step.pool && limit !== undefined) {
    // One claim per pool at a time (across all workers), so the count below stays true
    // until this transaction commits its own 'running'.
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`weir-pool:${step.pool}`]);
    const rows = (await manager.query(`SELECT count(*) AS n FROM steps WHERE pool = $1 AND status = 'running'`, [
      step.pool,
    ])) as Array<{ n: string }>;
    if (Number(rows[0]!.n) >= limit) return 'pool-full';
  }
  // Read the clock only now that the locks are held: a start time taken before waiting for
  // the pool lock could predate the end of the attempt whose slot this one takes.
  const now = clock();
  const attempt = manager.getRepository(AttemptEntity).create({
    id: randomUUID(),
    stepId: step.id,
    runId: step.runId,
    number: step.attemptCount + 1,
    status: 'running',
    workerId,
    heartbeatAt: now,
    startedAt: now,
    endedAt: null,
    errorKind: null,
    errorMessage: null,
    errorStack: null,
    retryDelayMs: null,
  });
  await manager.insert(AttemptEntity, attempt);
  step.status = 'running';
  step.attemptCount = attempt.number;
  step.startedAt ??= now;
  step.nextAttemptAt = null;
  await manager.update(StepEntity, step.id, {
    status: step.status,
    attemptCount: step.attemptCount,
    startedAt: step.startedAt,
    nextAttemptAt: null,
  });
  await appendEvents(manager, [
    {
      type: 'step.started',
      message: `attempt ${attempt.number} started`,
      runId: step.runId,
      stepId: step.id,
      attemptId: attempt.id,
      assetKey: step.assetKey,
      data: { attempt: attempt.number, workerId },
    },
  ]);
  return { step, attempt };
}

/** The stored output of a successful attempt. */
export interface StoredOutputRecord {
  readonly valueType: OutputValueType;
  readonly inline: unknown;
  readonly ref: PayloadRef | null;
  readonly size: number;
  readonly dataVersion: string;
  /** Row count, schema and lineage of a table output. */
  readonly table?: TableMetadata;
}

/** A recorded materialization; `blocked` when a blocking check failed and so did the step. */
export interface CompletedStep {
  readonly materializationId: string;
  readonly blocked: boolean;
}

/**
 * Records the materialization, its check results and the step's end together. The step
 * succeeds, unless an `error`-severity check failed: then the output is recorded all the same
 * (the data exists, and history shows it) but the attempt and the step fail, without a retry,
 * and `blocked` tells the caller not to release the downstream steps. Returns null, writing
 * nothing, when the attempt is no longer the step's current running attempt (it was declared
 * lost, the run was cancelled, or another delivery already finished it).
 */
export async function completeStep(
  manager: EntityManager,
  input: {
    stepId: string;
    attemptId: string;
    output: StoredOutputRecord;
    metadata: Record<string, number | string | boolean>;
    codeVersion: string | undefined;
    checks?: readonly CheckRecord[];
    now: Date;
  },
): Promise<CompletedStep | null> {
  const step = await lockStep(manager, input.stepId);
  const attempt = await manager.getRepository(AttemptEntity).findOneBy({ id: input.attemptId });
  if (
    !step ||
    step.status !== 'running' ||
    !attempt ||
    attempt.status !== 'running' ||
    attempt.number !== step.attemptCount
  )
    return null;
  const { output } = input;
  const materializationId = await insertMaterialization(manager, step, attempt.id, input);
  const failure = blockingFailure(input.checks ?? []);
  const base = { runId: step.runId, stepId: step.id, attemptId: attempt.id, assetKey: step.assetKey };
  const checkEvents = await recordCheckResults(
    manager,
    { ...base, id: materializationId, partitionKey: step.partitionKey },
    input.checks ?? [],
  );
  if (failure) {
    await manager.update(AttemptEntity, attempt.id, {
      status: 'failed',
      endedAt: input.now,
      errorKind: 'check',
      errorMessage: failure,
    });
    await manager.update(StepEntity, step.id, {
      status: 'failed',
      endedAt: input.now,
      nextAttemptAt: null,
      errorMessage: failure,
    });
  } else {
    await manager.update(AttemptEntity, attempt.id, { status: 'succeeded', endedAt: input.now });
    await manager.update(StepEntity, step.id, { status: 'succeeded', endedAt: input.now, errorMessage: null });
  }
  const where = output.ref ? `stored at ${output.ref.uri}` : 'stored inline';
  await appendEvents(manager, [
    {
      type: 'step.materialized',
      message: `materialized (${output.valueType}, ${output.size} bytes, ${where})`,
      runId: step.runId,
      stepId: step.id,
      attemptId: attempt.id,
      assetKey: step.assetKey,
      data: { attempt: attempt.number, ...storedOutputEventData(output, input.metadata, failure) },
    },
    ...outputCheckEvents(base, checkEvents, failure, { attempts: attempt.number, materializationId }),
  ]);
  return { materializationId, blocked: failure !== undefined };
}

/** Inserts the materialization of `step`'s output, produced by `attemptId`; returns its id. */
export async function insertMaterialization(
  manager: EntityManager,
  step: Pick<StepEntity, 'id' | 'runId' | 'assetKey' | 'partitionKey'>,
  attemptId: string,
  input: { output: StoredOutputRecord; metadata: Record<string, number | string | boolean>; codeVersion?: string },
): Promise<string> {
  const { output } = input;
  const materializationId = randomUUID();
  await manager.insert(MaterializationEntity, {
    id: materializationId,
    assetKey: step.assetKey,
    partitionKey: step.partitionKey,
    runId: step.runId,
    stepId: step.id,
    attemptId,
    codeVersion: input.codeVersion ?? null,
    dataVersion: output.dataVersion,
    valueType: output.valueType,
    // jsonb cannot hold a bare JSON null distinctly from SQL NULL; wrap nothing, store as is.
    outputInline: output.ref ? null : (output.inline as JsonValue),
    outputRef: output.ref,
    outputSize: output.size,
    metadata: input.metadata,
    tableMetadata: output.table ?? null,
  });
  return materializationId;
}

/** What became of a failed attempt. */
export type FailureOutcome =
  { readonly kind: 'retry'; readonly at: Date } | { readonly kind: 'failed' } | { readonly kind: 'stale' };

/**
 * Records a failed (or lost) attempt and applies the retry decision: the step waits for its
 * next attempt until `at` (durably: `next_attempt_at`), or fails.
 */
export async function failAttempt(
  manager: EntityManager,
  input: {
    stepId: string;
    attemptId: string;
    errorKind: AttemptErrorKind;
    message: string;
    stack: string | null;
    decision: RetryDecision;
    now: Date;
  },
): Promise<FailureOutcome> {
  const step = await lockStep(manager, input.stepId);
  const attempt = await manager.getRepository(AttemptEntity).findOneBy({ id: input.attemptId });
  if (!step || step.status !== 'running' || !attempt || attempt.status !== 'running') return { kind: 'stale' };
  const { decision, now } = input;
  const status = input.errorKind === 'lost' ? 'lost' : 'failed';
  await manager.update(AttemptEntity, attempt.id, {
    status,
    endedAt: now,
    errorKind: input.errorKind,
    errorMessage: input.message,
    errorStack: input.stack,
    retryDelayMs: decision.retry ? decision.delayMs : null,
  });
  const base = { runId: step.runId, stepId: step.id, attemptId: attempt.id, assetKey: step.assetKey };
  const failedEvent = {
    ...base,
    type: status === 'lost' ? 'step.attempt_lost' : 'step.attempt_failed',
    level: 'warn' as const,
    message: `attempt ${attempt.number} ${status === 'lost' ? 'lost' : 'failed'} (${input.errorKind}): ${input.message}`,
    data: { attempt: attempt.number, errorKind: input.errorKind, error: input.message, stack: input.stack },
  };
  if (decision.retry) {
    const at = new Date(now.getTime() + decision.delayMs);
    await manager.update(StepEntity, step.id, {
      status: 'retry_scheduled',
      nextAttemptAt: at,
      errorMessage: input.message,
    });
    await appendEvents(manager, [
      failedEvent,
      {
        ...base,
        type: 'step.retry_scheduled',
        message: `retry ${attempt.number + 1} scheduled in ${formatDuration(decision.delayMs)}`,
        data: { nextAttempt: attempt.number + 1, delayMs: decision.delayMs, at: at.toISOString() },
      },
    ]);
    return { kind: 'retry', at };
  }
  await manager.update(StepEntity, step.id, {
    status: 'failed',
    endedAt: now,
    nextAttemptAt: null,
    errorMessage: input.message,
  });
  await appendEvents(manager, [
    failedEvent,
    {
      ...base,
      type: 'step.failed',
      level: 'error',
      message: `failed after ${attempt.number} attempt(s): ${decision.reason}`,
      data: { attempts: attempt.number, reason: decision.reason },
    },
  ]);
  return { kind: 'failed' };
}

/** Moves a step whose retry is due back to `queued`; says why not when it is not due or not waiting any more. */
export async function requeueDueRetry(
  manager: EntityManager,
  stepId: string,
  now: Date,
): Promise<{ kind: 'requeued' } | { kind: 'not-due'; at: Date } | { kind: 'not-waiting' }> {
  const step = await lockStep(manager, stepId);
  if (!step || step.status !== 'retry_scheduled' || !step.nextAttemptAt) return { kind: 'not-waiting' };
  if (step.nextAttemptAt.getTime() > now.getTime()) return { kind: 'not-due', at: step.nextAttemptAt };
  await manager.update(StepEntity, step.id, { status: 'queued', queuedAt: () => 'now()' });
  return { kind: 'requeued' };
}

/** Whether the run of a step is being cancelled. */
export async function isRunCanceling(manager: EntityManager, stepId: string): Promise<boolean> {
  const rows: Array<{ status: string }> = await manager.query(
    `SELECT r.status FROM runs r JOIN steps s ON s.run_id = r.id WHERE s.id = $1`,
    [stepId],
  );
  return rows[0]?.status === 'canceling';
}

/** Ends a running attempt of a run being cancelled: the attempt and the step are canceled. */
export async function cancelAttempt(
  manager: EntityManager,
  input: { stepId: string; attemptId: string; now: Date; message?: string },
): Promise<FailureOutcome> {
  const step = await lockStep(manager, input.stepId);
  const attempt = await manager.getRepository(AttemptEntity).findOneBy({ id: input.attemptId });
  if (!step || step.status !== 'running' || !attempt || attempt.status !== 'running') return { kind: 'stale' };
  await manager.update(AttemptEntity, attempt.id, {
    status: 'canceled',
    endedAt: input.now,
    errorKind: 'canceled',
    errorMessage: input.message ?? 'run canceled',
  });
  await manager.update(StepEntity, step.id, {
    status: 'canceled',
    endedAt: input.now,
    errorMessage: 'canceled while running',
  });
  await appendEvents(manager, [
    {
      type: 'step.canceled',
      level: 'warn',
      message: `attempt ${attempt.number} aborted: ${input.message ?? 'the run was canceled'}`,
      runId: step.runId,
      stepId: step.id,
      attemptId: attempt.id,
      assetKey: step.assetKey,
    },
  ]);
  return { kind: 'failed' };
}
