import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import type { CheckSeverity } from '../sdk/check.js';
import type { MetadataValue } from '../sdk/context.js';
import { CheckResultEntity } from '../storage/entities/check-result.entity.js';
import type { NewEvent } from '../storage/event-log.js';

/** The outcome of one check on one output, as recorded in `check_results`. */
export interface CheckRecord {
  readonly name: string;
  readonly severity: CheckSeverity;
  readonly passed: boolean;
  readonly message: string | null;
  readonly metadata: Record<string, MetadataValue>;
}

/** A check result as the API and CLI show it. */
export interface CheckView {
  readonly name: string;
  readonly severity: CheckSeverity;
  readonly passed: boolean;
  readonly message: string | null;
}

/**
 * The failed `error`-severity checks, as the step's error message (`check 'x' failed: …`), or
 * `undefined` when none failed and the output may flow downstream.
 */
export function blockingFailure(records: readonly CheckRecord[]): string | undefined {
  const failed = records.filter((record) => !record.passed && record.severity === 'error');
  if (failed.length === 0) return undefined;
  return failed
    .map((record) => `check '${record.name}' failed${record.message ? `: ${record.message}` : ''}`)
    .join('; ');
}

/**
 * Inside the materialization's transaction: stores each check result and returns its event,
 * `check.passed` (info), `check.warned` (warn: a failed `warn` check) or `check.failed` (error:
 * a failed blocking check). Alert sinks can subscribe to these event types.
 */
export async function recordCheckResults(
  manager: EntityManager,
  materialization: {
    id: string;
    assetKey: string;
    partitionKey: string;
    runId: string;
    stepId: string;
    attemptId: string;
  },
  records: readonly CheckRecord[],
): Promise<NewEvent[]> {
  if (records.length === 0) return [];
  await manager.insert(
    CheckResultEntity,
    records.map((record, ordinal) => ({
      id: randomUUID(),
      ordinal,
      materializationId: materialization.id,
      assetKey: materialization.assetKey,
      partitionKey: materialization.partitionKey,
      runId: materialization.runId,
      stepId: materialization.stepId,
      checkName: record.name,
      severity: record.severity,
      passed: record.passed,
      message: record.message,
      metadata: record.metadata,
    })),
  );
  return records.map((record): NewEvent => {
    const outcome = record.passed ? 'passed' : record.severity === 'warn' ? 'warned' : 'failed';
    return {
      type: `check.${outcome}`,
      level: outcome === 'passed' ? 'info' : outcome === 'warned' ? 'warn' : 'error',
      message: `check '${record.name}' ${outcome}${record.message ? `: ${record.message}` : ''}`,
      runId: materialization.runId,
      stepId: materialization.stepId,
      attemptId: materialization.attemptId,
      assetKey: materialization.assetKey,
      data: {
        check: record.name,
        severity: record.severity,
        passed: record.passed,
        message: record.message,
        metadata: record.metadata,
        materializationId: materialization.id,
        partitionKey: materialization.partitionKey,
      },
    };
  });
}

/** Check results of materializations, in the order the checks ran, by materialization id. */
export async function checkViewsByMaterialization(
  manager: EntityManager,
  materializationIds: readonly string[],
): Promise<Map<string, CheckView[]>> {
  const byMaterialization = new Map<string, CheckView[]>();
  if (materializationIds.length === 0) return byMaterialization;
  const rows = await manager
    .getRepository(CheckResultEntity)
    .find({ where: { materializationId: In([...materializationIds]) }, order: { ordinal: 'ASC' } });
  for (const row of rows) {
    const list = byMaterialization.get(row.materializationId) ?? [];
    list.push({ name: row.checkName, severity: row.severity, passed: row.passed, message: row.message });
    byMaterialization.set(row.materializationId, list);
  }
  return byMaterialization;
}

/**
 * The events after a stored output's `step.materialized`: its check results, then `step.failed`
 * when a blocking check failed (`failure`).
 */
export function outputCheckEvents(
  base: { runId: string; stepId: string; attemptId: string; assetKey: string },
  checkEvents: readonly NewEvent[],
  failure: string | undefined,
  data: Record<string, unknown>,
): NewEvent[] {
  if (!failure) return [...checkEvents];
  return [
    ...checkEvents,
    {
      ...base,
      type: 'step.failed',
      level: 'error',
      message: `failed: ${failure} (the output is recorded; downstream steps are skipped)`,
      data: { ...data, reason: 'blocking check failed', error: failure },
    },
  ];
}

/** What the `step.materialized` event says of a stored output. */
export function storedOutputEventData(
  output: { valueType: string; size: number; ref: { uri: string } | null; dataVersion: string },
  metadata: Record<string, MetadataValue>,
  failure: string | undefined,
): Record<string, unknown> {
  return {
    valueType: output.valueType,
    size: output.size,
    uri: output.ref?.uri ?? null,
    sha256: output.dataVersion,
    metadata,
    ...(failure ? { blocked: true } : {}),
  };
}
