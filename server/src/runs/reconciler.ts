import type { DataSource } from 'typeorm';
import type { Executor, StepJob } from '../execution/executor.port.js';
import type { AssetGraph } from '../graph/asset-graph.js';
import type { RetryPolicySpec } from '../sdk/retry.js';
import type { Clock } from './clock.js';
import { decideRetry, resolveRetryPolicy } from './retry-policy.js';
import { failAttempt } from './step-transitions.js';

/** Which running attempts belong to workers that are gone. */
export type LostAttemptRule =
  /** Embedded: this process is the only worker, so every other worker id is a dead process. */
  | { readonly kind: 'not-this-worker'; readonly workerId: string }
  /** Distributed: the attempt's heartbeat stopped more than `afterMs` ago. */
  | { readonly kind: 'stale-heartbeat'; readonly afterMs: number };

export interface ReconcilerOptions {
  readonly dataSource: DataSource;
  readonly executor: Executor;
  readonly graph: () => AssetGraph;
  readonly retryDefaults: RetryPolicySpec;
  readonly clock: Clock;
  /** Re-arms (or arms) the timer of a step waiting for a retry. */
  readonly armRetry: (job: StepJob, at: Date) => void;
  /** Re-evaluates a whole run (skips behind failures, ends it). */
  readonly advance: (runId: string) => Promise<void>;
}

/** What one pass found and did. */
export interface ReconcileReport {
  readonly lost: number;
  readonly retriesArmed: number;
  readonly redispatched: number;
  readonly advanced: number;
}

/**
 * Makes the queue and the timers agree with the database, which is the source of truth:
 * attempts of dead workers are recorded as lost and retried per policy, waiting retries get a
 * timer, queued steps whose job the queue lost (a crash, a restarted or flushed Redis) are
 * dispatched again, and runs stuck behind a failure are moved on. Run at start-up by the
 * embedded engine and periodically by the leading `weir server`. Every action is idempotent:
 * step transitions are conditional on the row, and job ids collapse duplicates.
 */
export class Reconciler {
  constructor(private readonly options: ReconcilerOptions) {}

  async pass(rule: LostAttemptRule, queuedGraceMs: number): Promise<ReconcileReport> {
    const lost = await this.recordLostAttempts(rule);
    const retriesArmed = await this.armRetries();
    const redispatched = await this.redispatchQueued(queuedGraceMs);
    const advanced = await this.advanceStuckRuns();
    return { lost, retriesArmed, redispatched, advanced };
  }

  private async recordLostAttempts(rule: LostAttemptRule): Promise<number> {
    const { dataSource, clock } = this.options;
    const condition =
      rule.kind === 'not-this-worker'
        ? `a.worker_id <> $1`
        : `a.heartbeat_at < now() - ($1 || ' milliseconds')::interval`;
    const rows: Array<{
      id: string;
      step_id: string;
      run_id: string;
      number: number;
      worker_id: string;
      asset_key: string;
    }> = await dataSource.query(
      `SELECT a.id, a.step_id, a.run_id, a.number, a.worker_id, s.asset_key
           FROM attempts a JOIN steps s ON s.id = a.step_id
          WHERE a.status = 'running' AND ${condition}`,
      [rule.kind === 'not-this-worker' ? rule.workerId : String(rule.afterMs)],
    );
    for (const row of rows) {
      const graph = this.options.graph();
      const definition = graph.has(row.asset_key) ? graph.get(row.asset_key) : undefined;
      const policy = resolveRetryPolicy(
        definition?.kind === 'asset' ? definition.retry : undefined,
        this.options.retryDefaults,
      );
      const error = new Error(`worker ${row.worker_id} stopped during attempt ${row.number}`);
      const outcome = await dataSource.transaction((m) =>
        failAttempt(m, {
          stepId: row.step_id,
          attemptId: row.id,
          errorKind: 'lost',
          message: error.message,
          stack: null,
          decision: decideRetry(policy, row.number, error),
          now: clock.now(),
        }),
      );
      if (outcome.kind === 'retry')
        this.options.armRetry({ runId: row.run_id, stepId: row.step_id, attempt: row.number + 1 }, outcome.at);
      if (outcome.kind === 'failed') await this.options.advance(row.run_id);
    }
    return rows.length;
  }

  private async armRetries(): Promise<number> {
    const rows: Array<{ id: string; run_id: string; attempt_count: number; next_attempt_at: Date | null }> =
      await this.options.dataSource.query(
        `SELECT id, run_id, attempt_count, next_attempt_at FROM steps WHERE status = 'retry_scheduled'`,
      );
    for (const row of rows) {
      this.options.armRetry(
        { runId: row.run_id, stepId: row.id, attempt: row.attempt_count + 1 },
        row.next_attempt_at ?? this.options.clock.now(),
      );
    }
    return rows.length;
  }

  private async redispatchQueued(graceMs: number): Promise<number> {
    const rows: Array<{ id: string; run_id: string; attempt_count: number }> = await this.options.dataSource.query(
      `SELECT id, run_id, attempt_count FROM steps
        WHERE status = 'queued' AND (queued_at IS NULL OR queued_at <= now() - ($1 || ' milliseconds')::interval)
        ORDER BY run_id, ordinal`,
      [String(graceMs)],
    );
    let redispatched = 0;
    for (const row of rows) {
      const job: StepJob = { runId: row.run_id, stepId: row.id, attempt: row.attempt_count + 1 };
      try {
        if (graceMs > 0 && (await this.options.executor.isPending(job))) continue;
        await this.options.executor.dispatch(job);
        redispatched++;
      } catch (error) {
        // The queue is down: the next pass tries again.
        console.error(`weir: could not re-dispatch step ${row.id}: ${(error as Error).message}`);
        break;
      }
    }
    return redispatched;
  }

  private async advanceStuckRuns(): Promise<number> {
    // A run with pending steps and nothing queued, running or waiting to retry can only move
    // by re-evaluation (a failure whose follow-up was interrupted).
    const rows: Array<{ run_id: string }> = await this.options.dataSource.query(
      `SELECT s.run_id FROM steps s JOIN runs r ON r.id = s.run_id
        WHERE r.status IN ('queued', 'running')
        GROUP BY s.run_id
       HAVING count(*) FILTER (WHERE s.status IN ('queued', 'running', 'retry_scheduled')) = 0`,
    );
    for (const row of rows) await this.options.advance(row.run_id);
    return rows.length;
  }
}
