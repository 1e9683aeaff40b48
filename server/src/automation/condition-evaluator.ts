import type { AutomationCondition } from '../sdk/automation.js';

/** One pending upstream event (a materialization or an observation) for the evaluated asset. */
export interface PendingEvent {
  readonly id: string;
  readonly upstreamKey: string;
  readonly at: Date;
}

/** What triggered this evaluation. */
export type EvaluationTrigger =
  | { readonly kind: 'upstream' }
  | { readonly kind: 'cron'; readonly expression: string; readonly tick: Date }
  | { readonly kind: 'deploy' };

/** Everything a condition can look at, gathered before evaluating (pure evaluation below). */
export interface EvaluationFacts {
  readonly assetKey: string;
  readonly trigger: EvaluationTrigger;
  readonly upstreamKeys: readonly string[];
  readonly pendingEvents: readonly PendingEvent[];
  /** Upstreams never materialized (or observed, for sources). */
  readonly missingUpstreams: readonly string[];
  /** Upstreams with a step queued, running or waiting to retry. */
  readonly upstreamsInProgress: readonly string[];
  readonly selfMissing: boolean;
  readonly selfInProgress: boolean;
  readonly codeVersion: string | undefined;
  /** Code version of the asset's latest materialization (undefined when none). */
  readonly materializedCodeVersion: string | undefined;
  /**
   * The first evaluation of this condition (or of a changed one, or after the asset switched
   * between unpartitioned and partitioned): Dagster's `initial_evaluation`, which resets every
   * "since last handled" latch, so nothing that was already true then fires.
   */
  readonly initialEvaluation?: boolean;
  /** Missing since last handled: became missing after the condition's first evaluation and not requested since. */
  readonly newlyMissing?: boolean;
}

/** The outcome of a condition, with the reasons that decided it (what the decision log shows). */
export interface ConditionResult {
  readonly passed: boolean;
  readonly reasons: readonly string[];
  /** Whether the conditions that passed consume upstream events, and one run per event. */
  readonly consumesEvents: boolean;
  readonly runPerEvent: boolean;
}

const describe = (keys: readonly string[]) => keys.join(', ');

/**
 * Evaluates a condition against gathered facts. Pure: scenario tests feed it facts directly,
 * and the automation service gathers them from the database.
 */
export function evaluateCondition(condition: AutomationCondition, facts: EvaluationFacts): ConditionResult {
  const result = (passed: boolean, reason: string, consumesEvents = false, runPerEvent = false): ConditionResult => ({
    passed,
    reasons: [reason],
    consumesEvents,
    runPerEvent,
  });
  switch (condition.kind) {
    case 'cron':
      return facts.trigger.kind === 'cron' && facts.trigger.expression === condition.expression
        ? result(true, `cron tick ${facts.trigger.tick.toISOString()} (${condition.expression}, ${condition.timezone})`)
        : result(false, `not a tick of ${condition.expression}`);
    case 'missing':
      // Dagster's on_missing: newly missing since last handled, never what was already missing.
      if (!facts.selfMissing) return result(false, 'already materialized');
      if (facts.initialEvaluation)
        return result(false, 'first evaluation of this condition: what is already missing is not backfilled');
      return facts.newlyMissing
        ? result(true, 'newly missing since the condition was added, not requested yet')
        : result(false, 'missing since before the condition was added, or already requested');
    case 'code_version_changed':
      if (facts.selfMissing) return result(false, 'never materialized: missing, not a code change');
      return facts.codeVersion === facts.materializedCodeVersion
        ? result(false, `code version unchanged (${facts.codeVersion ?? 'none'})`)
        : result(
            true,
            `code version changed from ${facts.materializedCodeVersion ?? 'none'} to ${facts.codeVersion ?? 'none'}`,
          );
    case 'eager':
    case 'all_upstreams_updated': {
      if (facts.selfInProgress) return result(false, `waiting: ${facts.assetKey} is already in progress`);
      const updated = [...new Set(facts.pendingEvents.map((event) => event.upstreamKey))];
      if (facts.upstreamsInProgress.length > 0)
        return result(false, `waiting: upstream ${describe(facts.upstreamsInProgress)} in progress`);
      if (condition.kind === 'eager' && facts.missingUpstreams.length > 0) {
        return result(false, `waiting: upstream ${describe(facts.missingUpstreams)} never materialized`);
      }
      if (updated.length === 0) return result(false, 'no upstream updated since the last run');
      if (condition.kind === 'all_upstreams_updated') {
        const waiting = facts.upstreamKeys.filter((key) => !updated.includes(key));
        if (waiting.length > 0)
          return result(false, `waiting: ${describe(waiting)} not updated yet (updated: ${describe(updated)})`);
      }
      const latest = facts.pendingEvents.reduce(
        (max, event) => (event.at > max ? event.at : max),
        facts.pendingEvents[0]!.at,
      );
      return result(
        true,
        `upstream ${describe(updated)} updated (${facts.pendingEvents.length} event(s), latest at ${latest.toISOString()})`,
        true,
        condition.runPerEvent,
      );
    }
    case 'and': {
      const parts = condition.conditions.map((inner) => evaluateCondition(inner, facts));
      const failed = parts.filter((part) => !part.passed);
      return failed.length > 0
        ? { passed: false, reasons: failed.flatMap((part) => part.reasons), consumesEvents: false, runPerEvent: false }
        : combine(true, parts);
    }
    case 'or': {
      const parts = condition.conditions.map((inner) => evaluateCondition(inner, facts));
      const passed = parts.filter((part) => part.passed);
      return passed.length > 0
        ? combine(true, passed)
        : { passed: false, reasons: parts.flatMap((p) => p.reasons), consumesEvents: false, runPerEvent: false };
    }
    case 'not': {
      const inner = evaluateCondition(condition.condition, facts);
      return {
        passed: !inner.passed,
        reasons: inner.reasons.map((reason) => `not (${reason})`),
        consumesEvents: false,
        runPerEvent: false,
      };
    }
  }
}

function combine(passed: boolean, parts: readonly ConditionResult[]): ConditionResult {
  return {
    passed,
    reasons: parts.flatMap((part) => part.reasons),
    consumesEvents: parts.some((part) => part.consumesEvents),
    runPerEvent: parts.some((part) => part.runPerEvent),
  };
}
