import type { WeirEngine } from '../engine/weir-engine.js';
import type { RunView } from '../runs/run-queries.js';
import type { ReexecutionMode } from '../runs/run-reexecution.js';
import { getRunView, listRunViews, resolveRunId } from '../runs/run-queries.js';
import type { OpenedDatabase } from '../storage/data-source.factory.js';
import { listRunEvents, type EventView } from '../storage/event-log.js';
import { CliError, type WeirClient } from './weir-client.js';

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

  listRuns(limit: number): Promise<RunView[]> {
    return listRunViews(this.database.dataSource.manager, limit);
  }

  runEvents(runId: string, afterId?: string): Promise<EventView[]> {
    return listRunEvents(this.database.dataSource.manager, runId, afterId);
  }

  close(): Promise<void> {
    return this.onClose();
  }
}
