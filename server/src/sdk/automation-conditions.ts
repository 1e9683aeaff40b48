/**
 * The building blocks of automation conditions, as Dagster's declarative automation has them:
 * operands (`missing`, `anyDepsUpdated`, `cronTickPassed`, …) and operators (`and`, `or`,
 * `not`, `.since()`, `.sinceLastHandled()`, `.newlyTrue()`). A condition is plain data (a tree
 * of `kind` + children, which is what the engine evaluates and the graph snapshot records)
 * with a few non-enumerable methods for composing it.
 */
import { parseDuration } from './duration.js';

/** Which upstreams (deps) a dep operand looks at: all by default. Keys as the assets declare them. */
export interface DepSelection {
  /** Only these deps (asset keys). */
  readonly allow?: readonly string[];
  /** Every dep but these (asset keys). */
  readonly ignore?: readonly string[];
}

/** An asset key, or an asset (anything with a `key`). */
export type DepRef = string | { readonly key: string };

/** The condition tree as data. `label` names a composite the way the SDK call that made it reads, e.g. `eager()`. */
export type ConditionData = { readonly label?: string } & (
  | { readonly kind: 'missing' }
  | { readonly kind: 'newly_missing'; readonly newKeys: boolean }
  | { readonly kind: 'in_progress' }
  | { readonly kind: 'initial_evaluation' }
  | { readonly kind: 'newly_requested' }
  | { readonly kind: 'newly_updated' }
  | { readonly kind: 'code_version_changed' }
  | { readonly kind: 'in_latest_time_window'; readonly lookbackMs?: number }
  | { readonly kind: 'cron_tick_passed'; readonly expression: string; readonly timezone: string }
  | {
      readonly kind: 'any_deps_updated' | 'all_deps_updated';
      readonly runPerEvent: boolean;
      readonly deps?: DepSelection;
    }
  | { readonly kind: 'any_deps_missing' | 'any_deps_in_progress'; readonly deps?: DepSelection }
  | {
      readonly kind: 'all_deps_updated_since_cron';
      readonly expression: string;
      readonly timezone: string;
      readonly deps?: DepSelection;
    }
  | { readonly kind: 'since'; readonly trigger: AutomationCondition; readonly reset: AutomationCondition }
  | { readonly kind: 'newly_true'; readonly condition: AutomationCondition }
  | { readonly kind: 'and' | 'or'; readonly conditions: readonly AutomationCondition[] }
  | { readonly kind: 'not'; readonly condition: AutomationCondition }
);

/** Operators every condition has (not enumerable: a condition serializes as its data). */
export interface ConditionMethods {
  /** True from when this condition is true until `reset` is (reset wins when both are true in one evaluation). */
  since(reset: AutomationCondition): AutomationCondition;
  /**
   * True from when this condition is true until the asset (partition) is requested or
   * materialized, and never at the first evaluation of the condition: `this.since(newlyRequested()
   * or newlyUpdated() or initialEvaluation())`.
   */
  sinceLastHandled(): AutomationCondition;
  /** True at an evaluation where this condition is true and was not at the previous one. */
  newlyTrue(): AutomationCondition;
  /** The same condition with its dep operands looking only at these deps. */
  allow(deps: DepRef | readonly DepRef[]): AutomationCondition;
  /** The same condition with its dep operands ignoring these deps. */
  ignore(deps: DepRef | readonly DepRef[]): AutomationCondition;
}

/**
 * When Weir materializes an asset by itself: a tree of operands and operators. Conditions are
 * evaluated at once when something happens (an upstream commits a materialization or is
 * observed, a cron tick, a time partition's window ends, a deploy), never on a polling tick,
 * and every evaluation records its tree with each node's value and reasons.
 */
export type AutomationCondition = ConditionData & ConditionMethods;

/** Makes a frozen condition of `data` with the composing methods. */
export function condition(data: ConditionData): AutomationCondition {
  const made = { ...data } as AutomationCondition;
  Object.defineProperties(made, {
    since: { value: (reset: AutomationCondition) => since(made, reset) },
    sinceLastHandled: { value: () => since(made, or(newlyRequested(), newlyUpdated(), initialEvaluation())) },
    newlyTrue: { value: () => condition({ kind: 'newly_true', condition: made }) },
    allow: { value: (deps: DepRef | readonly DepRef[]) => selectDeps(made, { allow: keysOf(deps) }) },
    ignore: { value: (deps: DepRef | readonly DepRef[]) => selectDeps(made, { ignore: keysOf(deps) }) },
  });
  return Object.freeze(made);
}

/** `trigger.since(reset)`: true from when `trigger` is true until `reset` is. */
export function since(trigger: AutomationCondition, reset: AutomationCondition): AutomationCondition {
  return condition({ kind: 'since', trigger, reset });
}

/** True when every condition is. */
export function and(...conditions: AutomationCondition[]): AutomationCondition {
  return condition({ kind: 'and', conditions: Object.freeze([...conditions]) });
}

/** True when any condition is. */
export function or(...conditions: AutomationCondition[]): AutomationCondition {
  return condition({ kind: 'or', conditions: Object.freeze([...conditions]) });
}

/** True when the condition is not. */
export function not(inner: AutomationCondition): AutomationCondition {
  return condition({ kind: 'not', condition: inner });
}

/** The asset (partition) has never been materialized. */
export function missing(): AutomationCondition {
  return condition({ kind: 'missing' });
}

/**
 * Missing now and not at the previous evaluation: a time partition whose window just ended, and,
 * unless `newKeys: false`, a static or dynamic key added since. `eager()` uses `newKeys: false`:
 * it never backfills keys added to a set.
 */
export function newlyMissing(options: { newKeys?: boolean } = {}): AutomationCondition {
  return condition({ kind: 'newly_missing', newKeys: options.newKeys ?? true });
}

/** A run with a step of this asset (partition) is queued, running or waiting to retry. */
export function inProgress(): AutomationCondition {
  return condition({ kind: 'in_progress' });
}

/** The first evaluation of this condition, or of a changed one, or after the asset switched between unpartitioned and partitioned. */
export function initialEvaluation(): AutomationCondition {
  return condition({ kind: 'initial_evaluation' });
}

/** A run of this asset (partition) was requested (by automation or by hand) since the previous evaluation. */
export function newlyRequested(): AutomationCondition {
  return condition({ kind: 'newly_requested' });
}

/** This asset (partition) was materialized since the previous evaluation. */
export function newlyUpdated(): AutomationCondition {
  return condition({ kind: 'newly_updated' });
}

/**
 * The asset's `codeVersion` differs from the one at the previous evaluation, for an asset that
 * was materialized (one never materialized is missing, not changed). False at the first evaluation.
 */
export function codeVersionChanged(): AutomationCondition {
  return condition({ kind: 'code_version_changed' });
}

/**
 * The partition is in the latest complete time window (always true for unpartitioned assets and
 * static or dynamic keys); `lookback` widens it, e.g. `{ lookback: '2d' }` on daily partitions
 * also accepts the two windows before. Milliseconds or a duration string.
 */
export function inLatestTimeWindow(options: { lookback?: number | string } = {}): AutomationCondition {
  return condition({
    kind: 'in_latest_time_window',
    ...(options.lookback === undefined ? {} : { lookbackMs: lookbackMs(options.lookback) }),
  });
}

/** A tick of the cron schedule passed at this evaluation (the scheduler evaluates at each tick). */
export function cronTickPassed(expression: string, options: { timezone?: string } = {}): AutomationCondition {
  return condition({ kind: 'cron_tick_passed', expression, timezone: options.timezone ?? 'UTC' });
}

/** Options of the operands that read upstream events. */
export interface UpstreamEventOptions {
  /**
   * `false` (default): all pending upstream events are coalesced into one run, which records
   * which events it consumed. `true`: one run per event.
   */
  readonly runPerEvent?: boolean;
}

/**
 * Some dep was updated (materialized, or observed with a changed data version) since this asset
 * (partition) last consumed its events; an update by a run that also had this asset in its
 * selection does not count.
 */
export function anyDepsUpdated(options: UpstreamEventOptions = {}): AutomationCondition {
  return condition({ kind: 'any_deps_updated', runPerEvent: options.runPerEvent ?? false });
}

/** Some dep (partition this one reads) was never materialized (or observed, for sources). */
export function anyDepsMissing(): AutomationCondition {
  return condition({ kind: 'any_deps_missing' });
}

/** Some dep (partition this one reads) is in progress. */
export function anyDepsInProgress(): AutomationCondition {
  return condition({ kind: 'any_deps_in_progress' });
}

/** Every dep was updated since the latest tick of the cron schedule (true when there are no deps). */
export function allDepsUpdatedSinceCron(expression: string, options: { timezone?: string } = {}): AutomationCondition {
  return condition({ kind: 'all_deps_updated_since_cron', expression, timezone: options.timezone ?? 'UTC' });
}

/** The same tree with `label` (how the decision view names it, e.g. `eager()`). */
export function labeled(inner: AutomationCondition, label: string): AutomationCondition {
  return condition({ ...stripMethods(inner), label });
}

function selectDeps(node: AutomationCondition, selection: DepSelection): AutomationCondition {
  const data = stripMethods(node);
  switch (data.kind) {
    case 'any_deps_updated':
    case 'all_deps_updated':
    case 'any_deps_missing':
    case 'any_deps_in_progress':
    case 'all_deps_updated_since_cron':
      return condition({ ...data, deps: mergeSelection(data.deps, selection) });
    case 'since':
      return condition({
        ...data,
        trigger: selectDeps(data.trigger, selection),
        reset: selectDeps(data.reset, selection),
      });
    case 'newly_true':
    case 'not':
      return condition({ ...data, condition: selectDeps(data.condition, selection) });
    case 'and':
    case 'or':
      return condition({ ...data, conditions: Object.freeze(data.conditions.map((c) => selectDeps(c, selection))) });
    default:
      return node;
  }
}

function mergeSelection(current: DepSelection | undefined, next: DepSelection): DepSelection {
  const allow = next.allow ?? current?.allow;
  const ignore = [...(current?.ignore ?? []), ...(next.ignore ?? [])];
  return Object.freeze({ ...(allow ? { allow } : {}), ...(ignore.length > 0 ? { ignore } : {}) });
}

function keysOf(deps: DepRef | readonly DepRef[]): readonly string[] {
  const list = Array.isArray(deps) ? (deps as readonly DepRef[]) : [deps as DepRef];
  return Object.freeze(
    list.map((dep, i) => {
      const key = typeof dep === 'string' ? dep : dep?.key;
      if (typeof key !== 'string' || key.length === 0)
        throw new Error(`allow()/ignore(): dep #${i + 1} is not an asset key or an asset (got ${String(dep)})`);
      return key;
    }),
  );
}

function stripMethods(node: AutomationCondition): ConditionData {
  return { ...node } as ConditionData;
}

function lookbackMs(value: number | string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new Error(`inLatestTimeWindow(): lookback ${(error as Error).message}`, { cause: error });
  }
}

/** Whether `reset` is the one `.sinceLastHandled()` builds (so the tree reads as that, not as its expansion). */
export function isLastHandledReset(reset: ConditionData): boolean {
  return (
    reset.kind === 'or' &&
    reset.conditions.length === 3 &&
    reset.conditions.map((c) => c.kind).join() === 'newly_requested,newly_updated,initial_evaluation'
  );
}
