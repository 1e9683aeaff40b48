import type { RunView } from '../runs/run-queries.js';
import type { ReexecutionMode } from '../runs/run-reexecution.js';
import type { EventView } from '../storage/event-log.js';
import type { FreshnessView } from '../freshness/freshness-report.js';
import type { BackfillRequest } from '../backfills/backfill-runner.js';
import type { BackfillView } from '../backfills/backfill-store.js';
import type { RequestedPartitions } from '../runs/partition-plan.js';
import type { AssetPartitionsView } from '../runs/partition-queries.js';
import type { ApiTokenView } from '../auth/token-store.js';
import type { Role } from '../auth/principal.js';
import { CliError, type ReportedEvent, type WeirClient } from './weir-client.js';

const NO_TOKEN_HINT =
  'this CLI has no API token: set WEIR_API_TOKEN, or use the data directory of the running `weir dev` (its cli-token file)';

/**
 * Talks to a running `weir dev` / `weir server` over its REST API, sending `token` (an API
 * token: WEIR_API_TOKEN or the data directory's cli-token) as `Authorization: Bearer`.
 */
export class HttpClient implements WeirClient {
  readonly mode = 'remote' as const;

  constructor(
    readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  requestRun(selection: string, partitions?: RequestedPartitions, config?: unknown): Promise<RunView> {
    return this.call('POST', '/api/runs', {
      selection,
      ...(partitions ? { partitions } : {}),
      ...(config === undefined ? {} : { config }),
    });
  }

  createBackfill(request: BackfillRequest): Promise<BackfillView> {
    return this.call('POST', '/api/backfills', request);
  }

  getBackfill(id: string): Promise<BackfillView> {
    return this.call('GET', `/api/backfills/${encodeURIComponent(id)}`);
  }

  retryBackfill(id: string): Promise<BackfillView> {
    return this.call('POST', `/api/backfills/${encodeURIComponent(id)}/retry`, {});
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
    return this.call('POST', `/api/assets/${assetKey.split('/').map(encodeURIComponent).join('/')}/events`, event);
  }

  /** Creates an API token (admin); the answer is the only time the token is shown. */
  createToken(input: { name: string; role: Role }): Promise<{ token: string; apiToken: ApiTokenView }> {
    return this.call('POST', '/api/tokens', input);
  }

  revokeToken(idOrPrefix: string): Promise<ApiTokenView> {
    return this.call('DELETE', `/api/tokens/${encodeURIComponent(idOrPrefix)}`);
  }

  listTokens(): Promise<ApiTokenView[]> {
    return this.call('GET', '/api/tokens');
  }

  runEvents(runId: string, afterId?: string): Promise<EventView[]> {
    return this.call('GET', `/api/runs/${encodeURIComponent(runId)}/events${afterId ? `?after=${afterId}` : ''}`);
  }

  freshness(): Promise<FreshnessView[]> {
    return this.call('GET', '/api/freshness');
  }

  async close(): Promise<void> {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = this.token ? { authorization: `Bearer ${this.token}` } : {};
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
      throw new CliError(response.status === 401 && !this.token ? `${message}; ${NO_TOKEN_HINT}` : message);
    }
    return payload as T;
  }
}
