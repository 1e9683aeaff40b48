import { AutomationService } from '../../src/automation/automation-service.js';
import { wireAutomation } from '../../src/automation/automation-wiring.js';
import type { AnyAssetDefinition } from '../../src/sdk/asset.js';
import type { EventView } from '../../src/storage/event-log.js';
import type { StorageBackend } from './databases.js';
import { startEngine, type EngineHarness } from './engine-harness.js';

export interface AutomationHarness extends EngineHarness {
  readonly automation: AutomationService;
  /** Automation decisions recorded for an asset since the harness's start-up evaluation, oldest first. */
  decisions(assetKey: string): Promise<EventView[]>;
  /** Runs of an asset by trigger kind. */
  runsOf(assetKey: string): Promise<Array<{ id: string; trigger: string; status: string }>>;
  /** Waits until every run of the database has ended. */
  settle(): Promise<void>;
}

/** An engine plus an automation service wired as `weir dev` wires them (event-driven). */
export async function startAutomation(
  backend: StorageBackend,
  assets: readonly AnyAssetDefinition[],
  options: Parameters<typeof startEngine>[2] & {
    /** Evaluate every automated asset at start, as `weir dev` and a leading server do (default true). */
    evaluateAtStart?: boolean;
  } = {},
): Promise<AutomationHarness> {
  const harness = await startEngine(backend, assets, options);
  const { engine, database } = harness;
  const automation = new AutomationService({
    dataSource: database.dataSource,
    graph: () => engine.graph,
    snapshotId: () => engine.currentSnapshotId(),
    clock: engine.clock,
    start: (runId) => engine.startPlannedRun(runId),
  });
  const evaluations: Array<Promise<unknown>> = [];
  wireAutomation(engine, automation, { log: () => {}, track: (evaluation) => evaluations.push(evaluation) });
  // As `weir dev` and a leading server do at start: the deploy evaluation is each condition's
  // first (issue 14: it fires nothing, and later events are updates since it).
  if (options.evaluateAtStart !== false) await automation.evaluateAll();
  // `decisions()` lists those after this start-up evaluation (the tests' own).
  const [{ max: startedAfter }] = await database.dataSource.query(`SELECT coalesce(max(id), 0) AS max FROM event_log`);
  return {
    ...harness,
    automation,
    async decisions(assetKey) {
      const rows: Array<{
        id: string;
        type: string;
        message: string;
        data: Record<string, unknown>;
        created_at: Date;
      }> = await database.dataSource.query(
        `SELECT id, type, message, data, created_at FROM event_log
          WHERE asset_key = $1 AND type LIKE 'automation.%' AND id > $2 ORDER BY id`,
        [assetKey, startedAfter],
      );
      return rows.map((row) => ({
        id: String(row.id),
        createdAt: row.created_at.toISOString(),
        type: row.type,
        level: 'info',
        message: row.message,
        runId: null,
        stepId: null,
        attemptId: null,
        assetKey,
        data: row.data,
      }));
    },
    async runsOf(assetKey) {
      return database.dataSource.query(
        `SELECT r.id, r.trigger, r.status FROM runs r JOIN steps s ON s.run_id = r.id WHERE s.asset_key = $1 ORDER BY r.created_at`,
        [assetKey],
      );
    },
    async settle() {
      for (;;) {
        await Promise.all(evaluations.splice(0));
        const [{ n }] = await database.dataSource.query(
          `SELECT count(*) AS n FROM runs WHERE status IN ('queued', 'running', 'canceling')`,
        );
        if (Number(n) === 0 && evaluations.length === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
