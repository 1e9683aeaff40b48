import type { DataSource } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import type { Clock } from '../runs/clock.js';
import { evaluateAssetIn, type AutomationDecision } from './asset-evaluation.js';
import type { EvaluationTrigger } from './evaluation-facts.js';
import { automatedDownstreamOf } from './upstream-events.js';

export type { AutomationDecision };

export interface AutomationServiceOptions {
  readonly dataSource: DataSource;
  readonly graph: () => AssetGraph;
  readonly snapshotId: () => Promise<string>;
  readonly clock: Clock;
  /** Starts a run that was planned (dispatches its ready steps). */
  readonly start: (runId: string) => Promise<void>;
  readonly log?: (line: string) => void;
}

/**
 * Decides, when something happens, whether automated assets should run: an upstream commit
 * (evaluated at once, in the process that committed it), a cron tick or a deploy. Evaluations
 * of one asset are serialized by an advisory lock held for the transaction; in that same
 * transaction the run is planned and the pending upstream events it consumes are marked with
 * its id, so an event is consumed exactly once (never lost, never counted twice), whatever the
 * interleaving. Every evaluation, run or not, is written to the event log with its reasons.
 */
export class AutomationService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AutomationServiceOptions) {}

  /** An asset was materialized (or observed): evaluate its automated downstream assets, and itself if events wait for it. */
  async onUpstreamEvent(assetKey: string): Promise<AutomationDecision[]> {
    const graph = this.options.graph();
    if (!graph.has(assetKey)) return [];
    const keys = new Set(automatedDownstreamOf(graph, assetKey));
    // Events that waited while this asset was in progress can run now that it has ended.
    if (await this.hasPendingEvents(assetKey)) keys.add(assetKey);
    const decisions: AutomationDecision[] = [];
    for (const key of keys) decisions.push(await this.evaluate(key, { kind: 'upstream' }));
    return decisions;
  }

  /**
   * Run `runId` ended. Its assets that did not materialize (failed, skipped, canceled) may have
   * held back automated downstream assets ("waiting: upstream … in progress"); nothing else
   * would wake them, so those with pending events are evaluated again, as is each such asset
   * itself when events wait for it. Two queries whatever the size of the run.
   */
  async onRunEnded(runId: string): Promise<AutomationDecision[]> {
    const { dataSource } = this.options;
    const unmaterialized: Array<{ asset_key: string }> = await dataSource.query(
      `SELECT DISTINCT asset_key FROM steps WHERE run_id = $1 AND status <> 'succeeded'`,
      [runId],
    );
    if (unmaterialized.length === 0) return [];
    const graph = this.options.graph();
    const candidates = new Set<string>();
    for (const { asset_key: assetKey } of unmaterialized) {
      if (!graph.has(assetKey)) continue;
      for (const key of [...automatedDownstreamOf(graph, assetKey), assetKey]) candidates.add(key);
    }
    if (candidates.size === 0) return [];
    const pending: Array<{ downstream_key: string }> = await dataSource.query(
      `SELECT DISTINCT downstream_key FROM automation_inbox
        WHERE consumed_at IS NULL AND downstream_key = ANY($1::text[])`,
      [[...candidates]],
    );
    const decisions: AutomationDecision[] = [];
    for (const { downstream_key: key } of pending) decisions.push(await this.evaluate(key, { kind: 'upstream' }));
    return decisions;
  }

  /**
   * Evaluates the automated assets holding pending events that no evaluation has seen since they
   * arrived, once older than `graceMs`: the process that committed them died before evaluating,
   * or its evaluation failed. An asset whose latest evaluation came after its events is left
   * alone (its wake-up is the next upstream event or run end), so a pass over a healthy
   * deployment evaluates and writes nothing. Run periodically by the leading server and `weir dev`.
   */
  async sweepUnevaluated(graceMs = 10_000): Promise<AutomationDecision[]> {
    const rows: Array<{ downstream_key: string }> = await this.options.dataSource.query(
      `SELECT DISTINCT i.downstream_key FROM automation_inbox i
        WHERE i.consumed_at IS NULL
          AND i.created_at <= now() - ($1 || ' milliseconds')::interval
          AND NOT EXISTS (
            SELECT 1 FROM (SELECT e.created_at FROM event_log e
                            WHERE e.asset_key = i.downstream_key
                              AND e.type IN ('automation.requested', 'automation.declined')
                            ORDER BY e.id DESC LIMIT 1) latest
             WHERE latest.created_at >= i.created_at)`,
      [String(graceMs)],
    );
    const graph = this.options.graph();
    const decisions: AutomationDecision[] = [];
    for (const { downstream_key: key } of rows) {
      if (!graph.has(key)) continue;
      decisions.push(await this.evaluate(key, { kind: 'upstream' }));
    }
    return decisions;
  }

  private async hasPendingEvents(assetKey: string): Promise<boolean> {
    const rows: unknown[] = await this.options.dataSource.query(
      `SELECT 1 FROM automation_inbox WHERE downstream_key = $1 AND consumed_at IS NULL LIMIT 1`,
      [assetKey],
    );
    return rows.length > 0;
  }

  /** Evaluates every automated asset (at start and after a deploy): catches up missed events. */
  async evaluateAll(): Promise<AutomationDecision[]> {
    const decisions: AutomationDecision[] = [];
    for (const definition of this.options.graph().definitions) {
      if (definition.kind === 'asset' && definition.automation)
        decisions.push(await this.evaluate(definition.key, { kind: 'deploy' }));
    }
    return decisions;
  }

  /** Evaluates one asset's condition and acts on it. */
  evaluate(assetKey: string, trigger: EvaluationTrigger): Promise<AutomationDecision> {
    // One evaluation at a time per process keeps PGlite's single session simple; across
    // processes the advisory lock serializes evaluations of the same asset.
    const next = this.queue.then(() => this.evaluateNow(assetKey, trigger));
    this.queue = next.catch(() => {});
    return next;
  }

  private async evaluateNow(assetKey: string, trigger: EvaluationTrigger): Promise<AutomationDecision> {
    const graph = this.options.graph();
    const definition = graph.get(assetKey);
    if (definition.kind !== 'asset' || !definition.automation) {
      return { assetKey, requested: false, runIds: [], reasons: ['no automation condition'], consumedEventIds: [] };
    }
    const snapshotId = await this.options.snapshotId();
    const automated = { ...definition, automation: definition.automation };
    const decision = await this.options.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`weir-automation:${assetKey}`]);
      return evaluateAssetIn(manager, graph, automated, trigger, this.options.clock.now(), snapshotId);
    });
    for (const runId of decision.runIds) await this.options.start(runId);
    return decision;
  }
}
