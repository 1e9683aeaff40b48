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
import { BackfillRunner, type BackfillRequest } from '../backfills/backfill-runner.js';
import { readBackfill, type BackfillView } from '../backfills/backfill-store.js';
import type { RequestedPartitions } from '../runs/partition-plan.js';
import { addDynamicPartitionKeys, listAssetPartitions, type AssetPartitionsView } from '../runs/partition-queries.js';

/**
 * Opens the data directory in this process. Reading commands use the database alone;
 * `materialize` also gets an engine (see `withEngine`).
 */
export class LocalClient implements WeirClient {
  readonly mode = 'local' as const;
  private backfills: BackfillRunner | undefined;

  constructor(
    private readonly database: OpenedDatabase,
    private readonly engine: WeirEngine | undefined,
    private readonly onClose: () => Promise<void>,
    /** Loads the project's definitions, for commands that need them without an engine. */
    private readonly loadGraph?: () => Promise<AssetGraph>,
  ) {}

  async requestRun(selection: string, partitions?: RequestedPartitions, config?: unknown): Promise<RunView> {
    if (!this.engine) throw new Error('this client was opened without an engine');
    return this.engine.requestRun({ selection, partitions, config, trigger: 'manual' });
  }

  /** Runs the backfill in this process (only this one: others resume under `weir dev` or `weir server`). */
  async createBackfill(request: BackfillRequest): Promise<BackfillView> {
    return (await this.backfillRunner()).create(request);
  }

  /** Runs the retried partitions in this process, as {@link createBackfill} does. */
  async retryBackfill(id: string): Promise<BackfillView> {
    await this.getBackfill(id);
    return (await this.backfillRunner()).retryFailed(id);
  }

  private async backfillRunner(): Promise<BackfillRunner> {
    if (!this.engine) throw new Error('this client was opened without an engine');
    this.backfills ??= new BackfillRunner({
      engine: this.engine,
      log: (line) => process.stderr.write(`weir: ${line}\n`),
      resume: false,
    });
    await this.backfills.start();
    return this.backfills;
  }

  async getBackfill(id: string): Promise<BackfillView> {
    const view = /^[0-9a-f-]{36}$/i.test(id) ? await readBackfill(this.database.dataSource.manager, id) : null;
    if (!view) throw new CliError(`no backfill ${id}`);
    return view;
  }

  async addPartitions(set: string, keys: readonly string[]): Promise<string[]> {
    const graph = await this.graph();
    return this.database.dataSource.transaction((manager) => addDynamicPartitionKeys(manager, graph, set, keys));
  }

  async listPartitions(assetKey: string): Promise<AssetPartitionsView> {
    const graph = await this.graph();
    if (!graph.has(assetKey)) throw new CliError(`unknown asset '${assetKey}'${didYouMean(assetKey, graph.keys)}`);
    return listAssetPartitions(this.database.dataSource.manager, graph, assetKey, new Date());
  }

  private async graph(): Promise<AssetGraph> {
    const graph = this.engine?.graph ?? (await this.loadGraph?.());
    if (!graph) throw new Error('this client was opened without the project');
    return graph;
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
    const graph = await this.graph();
    return freshnessReport(this.database.dataSource.manager, graph, new Date());
  }

  async close(): Promise<void> {
    this.backfills?.stop();
    await this.backfills?.idle();
    await this.onClose();
  }
}
