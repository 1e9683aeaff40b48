import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AttemptEntity } from '../../src/storage/entities/attempt.entity.js';
import { MaterializationEntity } from '../../src/storage/entities/materialization.entity.js';
import { RunEntity } from '../../src/storage/entities/run.entity.js';
import { StepEntity } from '../../src/storage/entities/step.entity.js';

/** Minimal valid rows for storage tests; pass `overrides` for what a test cares about. */

export function newRun(overrides: Partial<RunEntity> = {}): RunEntity {
  return Object.assign(new RunEntity(), {
    id: randomUUID(),
    status: 'queued',
    trigger: 'manual',
    triggerDetail: {},
    selection: '*',
    snapshotId: randomUUID(),
    parentRunId: null,
    idempotencyKey: null,
    startedAt: null,
    endedAt: null,
    ...overrides,
  } satisfies Partial<RunEntity>);
}

export function newStep(runId: string, overrides: Partial<StepEntity> = {}): StepEntity {
  return Object.assign(new StepEntity(), {
    id: randomUUID(),
    runId,
    assetKey: `asset/${randomUUID().slice(0, 8)}`,
    partitionKey: '',
    status: 'pending',
    dependsOn: [],
    attemptCount: 0,
    nextAttemptAt: null,
    reusedMaterializationId: null,
    startedAt: null,
    endedAt: null,
    errorMessage: null,
    ...overrides,
  } satisfies Partial<StepEntity>);
}

export function newAttempt(step: StepEntity, overrides: Partial<AttemptEntity> = {}): AttemptEntity {
  const now = new Date();
  return Object.assign(new AttemptEntity(), {
    id: randomUUID(),
    stepId: step.id,
    runId: step.runId,
    number: 1,
    status: 'running',
    workerId: 'worker-1',
    heartbeatAt: now,
    startedAt: now,
    endedAt: null,
    errorKind: null,
    errorMessage: null,
    errorStack: null,
    retryDelayMs: null,
    ...overrides,
  } satisfies Partial<AttemptEntity>);
}

export function newMaterialization(
  step: StepEntity,
  attempt: AttemptEntity,
  overrides: Partial<MaterializationEntity> = {},
): MaterializationEntity {
  return Object.assign(new MaterializationEntity(), {
    id: randomUUID(),
    assetKey: step.assetKey,
    partitionKey: step.partitionKey,
    runId: step.runId,
    stepId: step.id,
    attemptId: attempt.id,
    codeVersion: null,
    dataVersion: 'a'.repeat(64),
    valueType: 'json',
    outputInline: { ok: true },
    outputRef: null,
    outputSize: 11,
    metadata: {},
    ...overrides,
  } satisfies Partial<MaterializationEntity>);
}

/** Inserts a run with one step (and returns both), the usual parent rows of everything else. */
export async function insertRunWithStep(
  manager: EntityManager,
  stepOverrides: Partial<StepEntity> = {},
): Promise<{ run: RunEntity; step: StepEntity }> {
  const run = await manager.save(newRun());
  const step = await manager.save(newStep(run.id, stepOverrides));
  return { run, step };
}

/** Resolves after `ms` milliseconds; lets concurrent transactions interleave. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
