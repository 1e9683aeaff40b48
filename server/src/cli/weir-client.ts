import type { RunView } from '../runs/run-queries.js';
import type { ReexecutionMode } from '../runs/run-reexecution.js';
import type { EventView } from '../storage/event-log.js';
import type { FreshnessView } from '../freshness/freshness-report.js';
import type { BackfillRequest } from '../backfills/backfill-runner.js';
import type { BackfillView } from '../backfills/backfill-store.js';
import type { RequestedPartitions } from '../runs/partition-plan.js';
import type { AssetPartitionsView } from '../runs/partition-queries.js';

/**
 * What CLI commands need from Weir, whether they open the data directory themselves or talk
 * to the `weir dev` process that holds it.
 */
export interface WeirClient {
  /** `local`: this process opened the database; `remote`: it talks to a running server. */
  readonly mode: 'local' | 'remote';
  /** `config`: run config keyed by asset key, validated before the run is created. */
  requestRun(selection: string, partitions?: RequestedPartitions, config?: unknown): Promise<RunView>;
  getRun(idOrPrefix: string): Promise<RunView>;
  listRuns(limit: number): Promise<RunView[]>;
  reexecute(idOrPrefix: string, mode: ReexecutionMode): Promise<RunView>;
  cancel(idOrPrefix: string): Promise<RunView>;
  /** Records an external event of an asset; returns the runs it requested (remote only). */
  reportEvent(assetKey: string, event: ReportedEvent): Promise<{ observationId: string; runsRequested: string[] }>;
  runEvents(runId: string, afterId?: string): Promise<EventView[]>;
  /** Freshness of every asset with a policy, evaluated now. */
  freshness(): Promise<FreshnessView[]>;
  /** Records a backfill and starts it (locally: this process runs it while the command waits). */
  createBackfill(request: BackfillRequest): Promise<BackfillView>;
  getBackfill(id: string): Promise<BackfillView>;
  /** Sends the failed partitions of a failed backfill back to run, each from its failure. */
  retryBackfill(id: string): Promise<BackfillView>;
  /** Adds keys to a dynamic partition set; returns those that were new. */
  addPartitions(set: string, keys: readonly string[]): Promise<string[]>;
  /** An asset's partitions with their latest materializations. */
  listPartitions(assetKey: string): Promise<AssetPartitionsView>;
  close(): Promise<void>;
}

/** What `weir report` sends. */
export interface ReportedEvent {
  readonly dataVersion?: string;
  readonly metadata?: Record<string, unknown>;
}

/** A CLI error whose message is the whole story: printed without a stack trace, exit code 2. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}
