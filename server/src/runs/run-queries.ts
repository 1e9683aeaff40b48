import { In, type EntityManager } from 'typeorm';
import { MaterializationEntity } from '../storage/entities/materialization.entity.js';
import { RunEntity } from '../storage/entities/run.entity.js';
import { StepEntity } from '../storage/entities/step.entity.js';
import { checkViewsByMaterialization, type CheckView } from './check-results.js';

/** A step as the API and CLI show it. */
export interface StepView {
  readonly id: string;
  readonly assetKey: string;
  readonly partitionKey: string;
  readonly status: StepEntity['status'];
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly error: string | null;
  readonly output: {
    readonly valueType: MaterializationEntity['valueType'];
    readonly size: number;
    readonly uri: string | null;
    readonly sha256: string;
    readonly metadata: Record<string, number | string | boolean>;
  } | null;
  /** Results of the asset checks on the step's output (the reused one's, when reused), in order. */
  readonly checks: readonly CheckView[];
}

/** A run as the API and CLI show it. */
export interface RunView {
  readonly id: string;
  readonly status: RunEntity['status'];
  readonly trigger: RunEntity['trigger'];
  readonly selection: string;
  /** The run config given at launch, keyed by asset key; null when none was. */
  readonly config: Readonly<Record<string, unknown>> | null;
  readonly parentRunId: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly steps: readonly StepView[];
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export async function getRunView(manager: EntityManager, runId: string): Promise<RunView | null> {
  const run = await manager.getRepository(RunEntity).findOneBy({ id: runId });
  if (!run) return null;
  return (await toRunViews(manager, [run]))[0]!;
}

export async function listRunViews(manager: EntityManager, limit: number): Promise<RunView[]> {
  const runs = await manager.getRepository(RunEntity).find({ order: { createdAt: 'DESC' }, take: limit });
  return toRunViews(manager, runs);
}

/** Finds a run by its full id or a unique prefix of it (as printed by `weir runs`). */
export async function resolveRunId(manager: EntityManager, idOrPrefix: string): Promise<string | null> {
  if (!/^[0-9a-f-]{4,36}$/i.test(idOrPrefix)) return null;
  const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM runs WHERE id::text LIKE $1 LIMIT 2`, [
    `${idOrPrefix.toLowerCase()}%`,
  ]);
  return rows.length === 1 ? rows[0]!.id : null;
}

async function toRunViews(manager: EntityManager, runs: RunEntity[]): Promise<RunView[]> {
  if (runs.length === 0) return [];
  const runIds = runs.map((run) => run.id);
  const steps = await manager
    .getRepository(StepEntity)
    .find({ where: { runId: In(runIds) }, order: { ordinal: 'ASC' } });
  const stepIds = steps.map((step) => step.id);
  const reusedIds = steps.flatMap((step) => (step.reusedMaterializationId ? [step.reusedMaterializationId] : []));
  const repository = manager.getRepository(MaterializationEntity);
  const produced = stepIds.length ? await repository.find({ where: { stepId: In(stepIds) } }) : [];
  const reused = reusedIds.length ? await repository.find({ where: { id: In(reusedIds) } }) : [];
  const byId = new Map(reused.map((m) => [m.id, m]));
  // A re-executed step shows the output it reused; its own run produced none.
  const byStep = new Map(produced.map((m) => [m.stepId, m]));
  for (const step of steps) {
    const m = step.reusedMaterializationId ? byId.get(step.reusedMaterializationId) : undefined;
    if (m) byStep.set(step.id, m);
  }
  const checks = await checkViewsByMaterialization(
    manager,
    [...byStep.values()].map((m) => m.id),
  );
  return runs.map((run) => ({
    id: run.id,
    status: run.status,
    trigger: run.trigger,
    selection: run.selection,
    config: run.config,
    parentRunId: run.parentRunId,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    endedAt: iso(run.endedAt),
    steps: steps
      .filter((step) => step.runId === run.id)
      .map((step) => {
        const m = byStep.get(step.id);
        return {
          id: step.id,
          assetKey: step.assetKey,
          partitionKey: step.partitionKey,
          status: step.status,
          attempts: step.attemptCount,
          nextAttemptAt: iso(step.nextAttemptAt),
          startedAt: iso(step.startedAt),
          endedAt: iso(step.endedAt),
          error: step.errorMessage,
          output: m
            ? {
                valueType: m.valueType,
                size: m.outputSize,
                uri: m.outputRef?.uri ?? null,
                sha256: m.dataVersion,
                metadata: m.metadata,
              }
            : null,
          checks: m ? (checks.get(m.id) ?? []) : [],
        };
      }),
  }));
}
