import type { DataSource } from 'typeorm';
import type { Alert } from '../alerts/alert-sink.port.js';
import type { AssetGraph } from '../graph/asset-graph.js';
import type { CancelTimer, Clock } from '../runs/clock.js';
import type { AnyAsset } from '../sdk/asset.js';
import { describeFreshnessPolicy, type FreshnessPolicy } from '../sdk/freshness.js';
import { freshnessAlert } from './freshness-alerts.js';
import type { FreshnessEvaluation } from './freshness-policy.js';
import {
  readBreachedPartitions,
  readFreshnessStates,
  readLastMaterializations,
  recordFreshness,
  subjectKey,
  transitionMessage,
  type StoredFreshness,
} from './freshness-store.js';
import { evaluateSubject, freshnessSubject, partitionSubject, type FreshnessSubject } from './freshness-subject.js';

/** A committed materialization, as the engine announces it (`'materialized'`). */
export interface MaterializationNotice {
  readonly assetKey: string;
  readonly partitionKey: string;
}

/** The engine of this process, for its `'materialized'` events. */
export interface MaterializationEvents {
  on(event: 'materialized', listener: (notice: MaterializationNotice) => void): unknown;
  off(event: 'materialized', listener: (notice: MaterializationNotice) => void): unknown;
}

export interface FreshnessMonitorOptions {
  readonly dataSource: DataSource;
  readonly graph: () => AssetGraph;
  readonly clock: Clock;
  /** Materializations committed by this process re-evaluate their asset at once. */
  readonly materializations?: MaterializationEvents;
  /** Where transitions are alerted (deduplicated by the receiver of the call). */
  readonly alert?: (alert: Alert) => Promise<void>;
  /**
   * While an asset is warning or late, re-check it at least this often: materializations made
   * by other processes (workers) are only seen by reading the database. Unset: only this
   * process's materializations end a breach before the next scheduled change.
   */
  readonly recheckIntervalMs?: number;
  readonly log: (line: string) => void;
}

// An evaluation that failed (database unreachable) is tried again after this long.
const RETRY_AFTER_ERROR_MS = 30_000;

/**
 * Tracks the freshness policies of a project (leader only, like the cron scheduler). On start it
 * evaluates every asset that has a policy, then keeps ONE timer per asset, set for the moment
 * its status would next change (`nextChangeAt`: warn time, deadline) — no loop polling every
 * asset. A materialization committed by this process's engine re-evaluates its asset at once,
 * so `late → fresh` is recorded (and the recovery alerted) immediately. Workers materialize in
 * other processes: the leader sees their materializations when a timer fires, and re-checks a
 * warning or late asset every `recheckIntervalMs`, so a recovery is noticed within that interval.
 *
 * A change of status is written atomically with its `freshness.*` event (see
 * {@link recordFreshness}) and then alerted; no change, nothing written. On start, warning and
 * late states are alerted again: the dedup key makes that a no-op when the alert went out, and
 * delivers it when the process died between the commit and the delivery.
 */
export class FreshnessMonitor {
  private readonly timers = new Map<string, CancelTimer>();
  private readonly queues = new Map<string, Promise<void>>();
  // Assets evaluated (from fresh reads) while start() was reading: its older reads must not win.
  private readonly evaluatedDuringStart = new Set<string>();
  private starting = false;
  private running = false;

  private readonly onMaterialized = (notice: MaterializationNotice) => {
    if (this.running && this.policyOf(notice.assetKey)) void this.evaluate(notice.assetKey, notice.partitionKey);
  };

  constructor(private readonly options: FreshnessMonitorOptions) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.options.materializations?.on('materialized', this.onMaterialized);
    this.starting = true;
    try {
      await this.evaluateAll();
    } finally {
      this.starting = false;
      this.evaluatedDuringStart.clear();
    }
  }

  stop(): void {
    this.running = false;
    this.options.materializations?.off('materialized', this.onMaterialized);
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  /** Assets waiting on a timer. */
  scheduled(): number {
    return this.timers.size;
  }

  /** Resolves once every evaluation started so far has ended (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  /**
   * Evaluates one asset now and records a change of status; evaluations of the same asset run
   * one after the other. For a time-partitioned asset this is the partition due now, plus
   * `partitionKey` when given (a partition just materialized) and the partitions recorded as
   * warning or late: a late partition materialized afterwards recovers.
   */
  evaluate(assetKey: string, partitionKey?: string): Promise<void> {
    const previous = this.queues.get(assetKey) ?? Promise.resolve();
    const next = previous.then(() => this.evaluateNow(assetKey, partitionKey));
    this.queues.set(assetKey, next);
    void next.finally(() => {
      if (this.queues.get(assetKey) === next) this.queues.delete(assetKey);
    });
    return next;
  }

  /** The first pass: every policy from two bulk reads; only assets whose status changed are written. */
  private async evaluateAll(): Promise<void> {
    const now = this.options.clock.now();
    const targets: Array<{
      assetKey: string;
      policy: FreshnessPolicy;
      subject: FreshnessSubject;
      partitioned: boolean;
    }> = [];
    for (const definition of this.options.graph().definitions) {
      if (definition.kind !== 'asset' || !definition.freshness) continue;
      targets.push({
        assetKey: definition.key,
        policy: definition.freshness,
        subject: freshnessSubject(definition.partitions, now),
        partitioned: definition.partitions?.kind === 'time',
      });
    }
    if (targets.length === 0) return;
    const manager = this.options.dataSource.manager;
    const [lastMaterializations, states] = await Promise.all([
      readLastMaterializations(manager, targets),
      readFreshnessStates(
        manager,
        targets.map(({ assetKey, subject }) => ({ assetKey, partitionKey: subject.partitionKey })),
      ),
    ]);
    for (const { assetKey, policy, subject, partitioned } of targets) {
      if (!this.running) return;
      if (this.evaluatedDuringStart.has(assetKey)) continue;
      const key = subjectKey(assetKey, subject.partitionKey);
      const evaluation = evaluateSubject(policy, subject, lastMaterializations.get(key) ?? null, now);
      const stored = states.get(key);
      const unchanged = evaluation.status === (stored?.status ?? 'fresh');
      if (unchanged && stored && stored.status !== 'fresh') this.realert(stored, policy, evaluation);
      // A time-partitioned asset may also have older partitions to look after: one full evaluation.
      if (partitioned || !unchanged) void this.evaluate(assetKey);
      else this.arm(assetKey, evaluation, now);
    }
  }

  private async evaluateNow(assetKey: string, materializedPartition?: string): Promise<void> {
    const definition = this.definitionOf(assetKey);
    const policy = definition?.freshness;
    if (!this.running || !definition || !policy) return;
    const now = this.options.clock.now();
    try {
      const subject = freshnessSubject(definition.partitions, now);
      const evaluation = await this.evaluateSubjectNow(assetKey, subject, policy, now);
      // Re-checked while breached (the subject, or an older partition still warning or late).
      let breached = evaluation.status !== 'fresh';
      if (definition.partitions?.kind === 'time') {
        // Older partitions: the one just materialized, and those recorded as warning or late.
        const manager = this.options.dataSource.manager;
        const others = new Set((await readBreachedPartitions(manager, assetKey)).map((state) => state.partitionKey));
        if (materializedPartition) others.add(materializedPartition);
        others.delete(subject.partitionKey);
        for (const partitionKey of [...others].sort()) {
          const older = partitionSubject(definition.partitions, partitionKey);
          if (!older) continue;
          const result = await this.evaluateSubjectNow(assetKey, older, policy, now, { onlyTracked: true });
          if (result.status !== 'fresh') breached = true;
        }
      }
      if (this.starting) this.evaluatedDuringStart.add(assetKey);
      this.arm(assetKey, evaluation, now, breached);
    } catch (error) {
      this.options.log(`freshness of ${assetKey} could not be evaluated: ${(error as Error).message}`);
      this.armAt(assetKey, now.getTime() + (this.options.recheckIntervalMs ?? RETRY_AFTER_ERROR_MS));
    }
  }

  /**
   * Evaluates one subject and records a change of status. `onlyTracked`: a partition that was
   * never evaluated is left alone (a backfilled partition is not a freshness event).
   */
  private async evaluateSubjectNow(
    assetKey: string,
    subject: FreshnessSubject,
    policy: FreshnessPolicy,
    now: Date,
    options: { onlyTracked?: boolean } = {},
  ): Promise<FreshnessEvaluation> {
    const manager = this.options.dataSource.manager;
    const key = subjectKey(assetKey, subject.partitionKey);
    const [last, stored] = await Promise.all([
      readLastMaterializations(manager, [{ assetKey, subject }]),
      readFreshnessStates(manager, [{ assetKey, partitionKey: subject.partitionKey }]),
    ]);
    const evaluation = evaluateSubject(policy, subject, last.get(key) ?? null, now);
    const current = stored.get(key);
    if (options.onlyTracked && !current) return evaluation;
    if (evaluation.status === (current?.status ?? 'fresh')) return evaluation;
    const recorded = await recordFreshness(this.options.dataSource, assetKey, subject, policy, now);
    if (recorded.transition) {
      const target = subject.partitionKey ? `${assetKey} [${subject.partitionKey}]` : assetKey;
      this.options.log(`freshness of ${target}: ${transitionMessage(recorded.transition)}`);
      void this.options.alert?.(freshnessAlert(recorded.transition));
    }
    return recorded.evaluation;
  }

  /** Sets the asset's one timer: its next change, or sooner while it (or an older partition) is warning or late. */
  private arm(
    assetKey: string,
    evaluation: FreshnessEvaluation,
    now: Date,
    breached = evaluation.status !== 'fresh',
  ): void {
    let at = evaluation.nextChangeAt?.getTime();
    const recheck = this.options.recheckIntervalMs;
    if (breached && recheck !== undefined && recheck > 0) {
      at = Math.min(at ?? Infinity, now.getTime() + recheck);
    }
    if (at === undefined) {
      this.timers.get(assetKey)?.();
      this.timers.delete(assetKey);
      return;
    }
    this.armAt(assetKey, at);
  }

  private armAt(assetKey: string, at: number): void {
    this.timers.get(assetKey)?.();
    this.timers.delete(assetKey);
    if (!this.running) return;
    const cancel = this.options.clock.setTimer(new Date(at), () => {
      if (this.timers.get(assetKey) === cancel) this.timers.delete(assetKey);
      void this.evaluate(assetKey);
    });
    this.timers.set(assetKey, cancel);
  }

  /** Alerts a stored warning or late state again (a no-op once delivered: same dedup key). */
  private realert(stored: StoredFreshness, policy: FreshnessPolicy, evaluation: FreshnessEvaluation): void {
    if (!this.options.alert) return;
    void this.options.alert(
      freshnessAlert({
        assetKey: stored.assetKey,
        partitionKey: stored.partitionKey,
        from: 'fresh',
        to: stored.status,
        since: stored.since,
        policy: describeFreshnessPolicy(policy),
        missedDeadline: stored.missedDeadline,
        nextDeadline: evaluation.nextDeadline,
        lagMs: evaluation.lagMs,
        lastMaterializedAt: stored.lastMaterializedAt,
      }),
    );
  }

  private policyOf(assetKey: string): FreshnessPolicy | undefined {
    return this.definitionOf(assetKey)?.freshness;
  }

  private definitionOf(assetKey: string): AnyAsset | undefined {
    const graph = this.options.graph();
    if (!graph.has(assetKey)) return undefined;
    const definition = graph.get(assetKey);
    return definition.kind === 'asset' ? definition : undefined;
  }
}
