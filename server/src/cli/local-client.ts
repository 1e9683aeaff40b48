import type { WeirEngine } from '../engine/weir-engine.js';
import { freshnessReport, type FreshnessView } from '../freshness/freshness-report.js';
import type { AssetGraph } from '../graph/asset-graph.js';
import type { RunView } from '../runs/run-queries.js';
import type { ReexecutionMode } from '../runs/run-reexecution.js';
import { getRunView, listRunViews, resolveRunId } from '../runs/run-queries.js';
import type { OpenedDatabase } from '../storage/data-source.factory.js';
import { listRunEvents, type EventView } from '../storage/event-log.js';
import { CliError, type ReportedEvent, type WeirClient } from './weir-client.js';
import { recordObservation } from '../automation/upstream-events.js';
import { didYouMean } from '../graph/closest-key.js';

/**
 * Opens the data directory in this process. Reading commands use the database alone;
 * `materialize` also gets an engine (see `withEngine`).
 */
export class LocalClient implements WeirClient {
  readonly mode = 'local' as const;

  constructor(
    private readonly database: OpenedDatabase,
    private readonly engine: WeirEngine | undefined,
    private readonly onClose: () => Promise<void>,
    /** Loads the project's definitions, for commands that need them without an engine. */
    private readonly loadGraph?: () => Promise<AssetGraph>,
  ) {}

  async requestRun(selection: string): Promise<RunView> {
    if (!this.engine) throw new Error('this client was opened without an engine');
    return this.engine.requestRun({ selection, trigger: 'manual' });
  }

  async getRun(idOrPrefix: string): Promise<RunView> {
    const manager = this.database.dataSource.manager;
    const id = await resolveRunId(manager, idOrPrefix);
    const view = id ? await getRunView(manager, id) : null;
    if (!view)
      throw new CliError(`no run matches '${idOrPrefix}' (give the id or a unique prefix of it; see \`weir runs\`)`);
    return view;
  }

  async reexecute(idOrPrefix: string, mode: ReexecutionMode): Promise<RunView> {
    if (!this.engine) throw new Error('this client was opened without an engine');
    return this.engine.reexecute((await this.getRun(idOrPrefix)).id, mode);
  }

  async cancel(idOrPrefix: string): Promise<RunView> {
    if (!this.engine) throw new Error('this client was opened without an engine');
    return this.engine.cancel((await this.getRun(idOrPrefix)).id);
  }

  async reportEvent(
    assetKey: string,
    event: ReportedEvent,
  ): Promise<{ observationId: string; runsRequested: string[] }> {
    if (!this.engine) throw new Error('this client was opened without an engine');
    const graph = this.engine.graph;
    if (!graph.has(assetKey)) throw new CliError(`unknown asset '${assetKey}'${didYouMean(assetKey, graph.keys)}`);
    const observationId = await this.database.dataSource.transaction((manager) =>
      recordObservation(manager, graph, {
        assetKey,
        dataVersion: event.dataVersion,
        metadata: event.metadata,
        source: 'cli',
      }),
    );
    // Downstream automation is evaluated by the next `weir dev` / `weir server` to start.
    return { observationId, runsRequested: [] };
  }

  listRuns(limit: number): Promise<RunView[]> {
    return listRunViews(this.database.dataSource.manager, limit);
  }

  runEvents(runId: string, afterId?: string): Promise<EventView[]> {
    return listRunEvents(this.database.dataSource.manager, runId, afterId);
  }

  async freshness(): Promise<FreshnessView[]> {
    const graph = this.engine?.graph ?? (await this.loadGraph?.());
    if (!graph) throw new Error('this client was opened without the project');
    return freshnessReport(this.database.dataSource.manager, graph, new Date());
  }

  close(): Promise<void> {
    return this.onClose();
  }
}
