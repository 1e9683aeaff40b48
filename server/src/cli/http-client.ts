import type { RunView } from '../runs/run-queries.js';
import type { ReexecutionMode } from '../runs/run-reexecution.js';
import type { EventView } from '../storage/event-log.js';
import type { FreshnessView } from '../freshness/freshness-report.js';
import type { BackfillRequest } from '../backfills/backfill-runner.js';
import type { BackfillView } from '../backfills/backfill-store.js';
import type { RequestedPartitions } from '../runs/partition-plan.js';
import type { AssetPartitionsView } from '../runs/partition-queries.js';
import { CliError, type ReportedEvent, type WeirClient } from './weir-client.js';

/** Talks to a running `weir dev` / `weir server` over its REST API. */
export class HttpClient implements WeirClient {
  readonly mode = 'remote' as const;

  constructor(readonly baseUrl: string) {}

  requestRun(selection: string, partitions?: RequestedPartitions): Promise<RunView> {
    return this.call('POST', '/api/runs', partitions ? { selection, partitions } : { selection });
  }

  createBackfill(request: BackfillRequest): Promise<BackfillView> {
    return this.call('POST', '/api/backfills', request);
  }

  getBackfill(id: string): Promise<BackfillView> {
    return this.call('GET', `/api/backfills/${encodeURIComponent(id)}`);
  }

  async addPartitions(set: string, keys: readonly string[]): Promise<string[]> {
    const added: string[] = [];
    for (const key of keys) {
      const result = await this.call<{ added: boolean }>(
        'POST',
        `/api/partitions/${encodeURIComponent(set)}/${encodeURIComponent(key)}`,
        {},
      );
      if (result.added) added.push(key);
    }
    return added;
  }

  listPartitions(assetKey: string): Promise<AssetPartitionsView> {
    return this.call('GET', `/api/assets/${assetKey.split('/').map(encodeURIComponent).join('/')}/partitions`);
  }

  getRun(idOrPrefix: string): Promise<RunView> {
    return this.call('GET', `/api/runs/${encodeURIComponent(idOrPrefix)}`);
  }

  listRuns(limit: number): Promise<RunView[]> {
    return this.call('GET', `/api/runs?limit=${limit}`);
  }

  reexecute(idOrPrefix: string, mode: ReexecutionMode): Promise<RunView> {
    return this.call('POST', `/api/runs/${encodeURIComponent(idOrPrefix)}/reexecute`, { mode });
  }

  cancel(idOrPrefix: string): Promise<RunView> {
    return this.call('POST', `/api/runs/${encodeURIComponent(idOrPrefix)}/cancel`, {});
  }

  reportEvent(assetKey: string, event: ReportedEvent): Promise<{ observationId: string; runsRequested: string[] }> {
    const token = process.env.WEIR_EVENTS_TOKEN;
    if (!token) throw new CliError('set WEIR_EVENTS_TOKEN to the token the running Weir expects');
    return this.call('POST', `/api/assets/${assetKey.split('/').map(encodeURIComponent).join('/')}/events`, event, {
      authorization: `Bearer ${token}`,
    });
  }

  runEvents(runId: string, afterId?: string): Promise<EventView[]> {
    return this.call('GET', `/api/runs/${encodeURIComponent(runId)}/events${afterId ? `?after=${afterId}` : ''}`);
  }

  freshness(): Promise<FreshnessView[]> {
    return this.call('GET', '/api/freshness');
  }

  async close(): Promise<void> {}

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new CliError(`cannot reach the Weir server at ${this.baseUrl}: ${(error as Error).message}`);
    }
    const payload = (await response.json().catch(() => null)) as { message?: unknown } | null;
    if (!response.ok) {
      const message = Array.isArray(payload?.message)
        ? payload.message.join('; ')
        : String(payload?.message ?? response.statusText);
      throw new CliError(message);
    }
    return payload as T;
  }
}
