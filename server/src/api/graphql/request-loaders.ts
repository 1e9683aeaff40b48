import DataLoader from 'dataloader';
import type { EntityManager } from 'typeorm';
import { readBackfillPartitions, type BackfillView } from '../../backfills/backfill-store.js';
import type { AssetGraph } from '../../graph/asset-graph.js';
import { loadAssetStates, type AssetState } from '../read-models/asset-states.js';
import { RUN_COLUMNS, toRunRow, type RawRunRow, type RunRow } from '../read-models/run-rows.js';
import { toSafeInteger } from '../../storage/safe-integer.js';

/**
 * Per-request batching: every loader turns the N lookups of one GraphQL level (the steps of
 * 100 runs, the attempts of 500 steps) into one SQL query, so a page costs a bounded number
 * of queries whatever its size. A new set is made for each request (no stale cache).
 */
export interface RequestLoaders {
  readonly runs: DataLoader<string, RunRow | null>;
  readonly stepsByRun: DataLoader<string, StepRow[]>;
  readonly attemptsByStep: DataLoader<string, AttemptRow[]>;
  readonly checkpointsByStep: DataLoader<string, CheckpointRow[]>;
  readonly materializationByStep: DataLoader<string, MaterializationRow | null>;
  readonly materializationById: DataLoader<string, MaterializationRow | null>;
  readonly checksByMaterialization: DataLoader<string, CheckResultRow[]>;
  readonly backfillByRun: DataLoader<string, string | null>;
  readonly partitionsByBackfill: DataLoader<string, BackfillView['partitions']>;
  readonly latestMaterializationByAsset: DataLoader<string, MaterializationRow | null>;
  /** Every asset's state, loaded once per request on first use. */
  assetStates(): Promise<Map<string, AssetState>>;
}

export interface StepRow {
  readonly id: string;
  readonly runId: string;
  readonly assetKey: string;
  readonly partitionKey: string | null;
  readonly status: string;
  readonly attemptCount: number;
  readonly nextAttemptAt: Date | null;
  readonly startedAt: Date | null;
  readonly endedAt: Date | null;
  readonly error: string | null;
  readonly reusedMaterializationId: string | null;
  readonly reused: boolean;
}

export interface AttemptRow {
  readonly id: string;
  readonly number: number;
  readonly status: string;
  readonly workerId: string;
  readonly startedAt: Date;
  readonly endedAt: Date | null;
  readonly heartbeatAt: Date | null;
  readonly errorKind: string | null;
  readonly errorMessage: string | null;
  readonly errorStack: string | null;
  readonly retryDelayMs: number | null;
}

export interface CheckpointRow {
  readonly id: string;
  readonly attemptId: string;
  readonly createdAt: Date;
  readonly state: unknown;
  readonly uri: string | null;
}

export interface OutputRow {
  readonly valueType: string;
  readonly size: number;
  readonly uri: string | null;
  readonly sha256: string | null;
  readonly metadata: Record<string, unknown>;
}

export interface MaterializationRow {
  readonly id: string;
  readonly assetKey: string;
  readonly runId: string;
  readonly stepId: string;
  readonly partitionKey: string | null;
  readonly createdAt: Date;
  readonly codeVersion: string | null;
  readonly dataVersion: string;
  readonly output: OutputRow;
  readonly cursorAt: string;
}

export interface CheckResultRow {
  readonly checkName: string;
  readonly severity: string;
  readonly passed: boolean;
  readonly message: string | null;
  readonly metadata: Record<string, unknown>;
  readonly createdAt: Date | null;
  readonly runId: string | null;
}

const date = (value: Date | string | null | undefined) =>
  value === null || value === undefined ? null : new Date(value);
const partition = (key: string) => (key === '' ? null : key);

/** Groups rows by a key, in the order of `keys` (DataLoader's contract). */
function groupBy<T>(keys: readonly string[], rows: readonly T[], keyOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key)!);
}

function oneBy<T>(keys: readonly string[], rows: readonly T[], keyOf: (row: T) => string): Array<T | null> {
  const byKey = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => byKey.get(key) ?? null);
}

export const MATERIALIZATION_COLUMNS = `m.id, m.asset_key, m.run_id, m.step_id, m.partition_key, m.created_at,
  m.created_at::text AS cursor_at, m.code_version, m.data_version, m.value_type, m.output_ref, m.output_size, m.metadata`;

interface RawMaterialization {
  id: string;
  asset_key: string;
  run_id: string;
  step_id: string;
  partition_key: string;
  created_at: Date | string;
  cursor_at: string;
  code_version: string | null;
  data_version: string;
  value_type: string;
  output_ref: { uri?: string; sha256?: string } | null;
  /** int8: a string from the driver. */
  output_size: string | number;
  metadata: Record<string, unknown>;
}

export function toMaterializationRow(raw: RawMaterialization): MaterializationRow {
  return {
    id: raw.id,
    assetKey: raw.asset_key,
    runId: raw.run_id,
    stepId: raw.step_id,
    partitionKey: partition(raw.partition_key),
    createdAt: new Date(raw.created_at),
    codeVersion: raw.code_version,
    dataVersion: raw.data_version,
    cursorAt: raw.cursor_at,
    output: {
      valueType: raw.value_type,
      size: toSafeInteger(raw.output_size, 'materializations.output_size'),
      uri: raw.output_ref?.uri ?? null,
      sha256: raw.output_ref?.sha256 ?? raw.data_version ?? null,
      metadata: raw.metadata ?? {},
    },
  };
}

/** Makes the loaders of one request. */
export function createRequestLoaders(manager: EntityManager, graph: AssetGraph, now: () => Date): RequestLoaders {
  const query = <T>(sql: string, params: unknown[]) => manager.query(sql, params) as Promise<T[]>;
  let states: Promise<Map<string, AssetState>> | undefined;

  const materializations = (column: 'id' | 'step_id') =>
    new DataLoader<string, MaterializationRow | null>(async (keys) => {
      const rows = (
        await query<RawMaterialization>(
          `SELECT ${MATERIALIZATION_COLUMNS} FROM materializations m WHERE m.${column} = ANY($1::uuid[])`,
          [[...keys]],
        )
      ).map(toMaterializationRow);
      return oneBy(keys, rows, (row) => (column === 'id' ? row.id : row.stepId));
    });

  return {
    runs: new DataLoader(async (ids) => {
      const rows = (
        await query<RawRunRow>(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.id = ANY($1::uuid[])`, [[...ids]])
      ).map(toRunRow);
      return oneBy(ids, rows, (row) => row.id);
    }),
    stepsByRun: new DataLoader(async (runIds) => {
      const rows = await query<Record<string, unknown>>(
        `SELECT id, run_id, asset_key, partition_key, status, attempt_count, next_attempt_at, started_at, ended_at,
                error_message, reused_materialization_id FROM steps WHERE run_id = ANY($1::uuid[]) ORDER BY ordinal, asset_key, partition_key`,
        [[...runIds]],
      );
      const steps = rows.map((raw: Record<string, unknown>): StepRow => ({
        id: raw.id as string,
        runId: raw.run_id as string,
        assetKey: raw.asset_key as string,
        partitionKey: partition(raw.partition_key as string),
        status: raw.status as string,
        attemptCount: Number(raw.attempt_count),
        nextAttemptAt: date(raw.next_attempt_at as string | null),
        startedAt: date(raw.started_at as string | null),
        endedAt: date(raw.ended_at as string | null),
        error: raw.error_message as string | null,
        reusedMaterializationId: raw.reused_materialization_id as string | null,
        reused: raw.reused_materialization_id !== null,
      }));
      return groupBy(runIds, steps, (step) => step.runId);
    }),
    attemptsByStep: new DataLoader(async (stepIds) => {
      const rows = await query<Record<string, unknown>>(
        `SELECT id, step_id, number, status, worker_id, started_at, ended_at, heartbeat_at, error_kind, error_message,
                error_stack, retry_delay_ms FROM attempts WHERE step_id = ANY($1::uuid[]) ORDER BY number`,
        [[...stepIds]],
      );
      const attempts = rows.map((raw) => ({
        stepId: raw.step_id as string,
        row: {
          id: raw.id as string,
          number: Number(raw.number),
          status: raw.status as string,
          workerId: raw.worker_id as string,
          startedAt: new Date(raw.started_at as string),
          endedAt: date(raw.ended_at as string | null),
          heartbeatAt: date(raw.heartbeat_at as string | null),
          errorKind: raw.error_kind as string | null,
          errorMessage: raw.error_message as string | null,
          errorStack: raw.error_stack as string | null,
          retryDelayMs: raw.retry_delay_ms === null ? null : Number(raw.retry_delay_ms),
        } satisfies AttemptRow,
      }));
      return groupBy(stepIds, attempts, (a) => a.stepId).map((group) => group.map((a) => a.row));
    }),
    checkpointsByStep: new DataLoader(async (stepIds) => {
      const rows = await query<Record<string, unknown>>(
        `SELECT id, step_id, attempt_id, created_at, state_inline, state_ref FROM checkpoints
          WHERE step_id = ANY($1::uuid[]) ORDER BY created_at`,
        [[...stepIds]],
      );
      const checkpoints = rows.map((raw) => ({
        stepId: raw.step_id as string,
        row: {
          id: raw.id as string,
          attemptId: raw.attempt_id as string,
          createdAt: new Date(raw.created_at as string),
          state: raw.state_ref ? null : raw.state_inline,
          uri: (raw.state_ref as { uri?: string } | null)?.uri ?? null,
        } satisfies CheckpointRow,
      }));
      return groupBy(stepIds, checkpoints, (c) => c.stepId).map((group) => group.map((c) => c.row));
    }),
    materializationByStep: materializations('step_id'),
    materializationById: materializations('id'),
    checksByMaterialization: new DataLoader(async (ids) => {
      const rows = await query<Record<string, unknown>>(
        `SELECT materialization_id, check_name, severity, passed, message, metadata, created_at, run_id
           FROM check_results WHERE materialization_id = ANY($1::uuid[]) ORDER BY ordinal`,
        [[...ids]],
      );
      const results = rows.map((raw) => ({
        materializationId: raw.materialization_id as string,
        row: {
          checkName: raw.check_name as string,
          severity: raw.severity as string,
          passed: Boolean(raw.passed),
          message: raw.message as string | null,
          metadata: (raw.metadata as Record<string, unknown>) ?? {},
          createdAt: date(raw.created_at as string | null),
          runId: raw.run_id as string | null,
        } satisfies CheckResultRow,
      }));
      return groupBy(ids, results, (r) => r.materializationId).map((group) => group.map((r) => r.row));
    }),
    backfillByRun: new DataLoader(async (runIds) => {
      const rows = await query<{ run_id: string; backfill_id: string }>(
        `SELECT run_id, backfill_id FROM backfill_partitions WHERE run_id = ANY($1::uuid[])`,
        [[...runIds]],
      );
      return oneBy(runIds, rows, (row) => row.run_id).map((row) => row?.backfill_id ?? null);
    }),
    partitionsByBackfill: new DataLoader(async (backfillIds) => {
      const partitions = await readBackfillPartitions(manager, backfillIds);
      return backfillIds.map((id) => partitions.get(id) ?? []);
    }),
    latestMaterializationByAsset: new DataLoader(async (assetKeys) => {
      const rows = (
        await query<RawMaterialization>(
          `SELECT ${MATERIALIZATION_COLUMNS} FROM unnest($1::text[]) AS k(key)
             CROSS JOIN LATERAL (SELECT * FROM materializations WHERE asset_key = k.key ORDER BY created_at DESC LIMIT 1) AS m`,
          [[...assetKeys]],
        )
      ).map(toMaterializationRow);
      return oneBy(assetKeys, rows, (row) => row.assetKey);
    }),
    assetStates: () => (states ??= loadAssetStates(manager, graph, now())),
  };
}
