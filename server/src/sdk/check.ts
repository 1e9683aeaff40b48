import type { AssetContext, MetadataValue } from './context.js';
import { resourcesProblem, type ResourceInstances, type ResourceMap } from './resource.js';
import type { CheckSeverity } from './check-severity.js';
export type { CheckSeverity } from './check-severity.js';

/** A check's verdict with details, shown in the run view and the event log. */
export interface CheckVerdict {
  readonly passed: boolean;
  /** Why it passed or failed, e.g. `'3 rows with a null customer id'`. */
  readonly message?: string;
  /** Figures recorded with the result, e.g. `{ nullIds: 3 }`. */
  readonly metadata?: Readonly<Record<string, MetadataValue>>;
}

/** What a check function returns: `true`/`false`, or a verdict with a message and metadata. */
export type CheckResult = boolean | CheckVerdict;

/**
 * What a check function receives besides the value: the step it runs in, a logger, the store,
 * and the resources the check names (`check(name, fn, { resources: { warehouse } })`).
 */
export type CheckContext<Resources = Record<never, never>> = Pick<
  AssetContext<undefined, Resources>,
  | 'assetKey'
  | 'runId'
  | 'stepId'
  | 'attemptId'
  | 'attemptNumber'
  | 'partition'
  | 'log'
  | 'signal'
  | 'store'
  | 'resources'
>;

/** The body of a check: inspects the stored output; throwing counts as failing with the error's message. */
export type CheckFunction<T, Resources = Record<never, never>> = (
  ctx: CheckContext<Resources>,
  value: T,
) => CheckResult | Promise<CheckResult>;

/** Options of {@link check}. */
export interface CheckOptions<R extends ResourceMap = Record<never, never>> {
  /** Resources the check uses, as `ctx.resources` (e.g. a warehouse to query). */
  readonly resources?: R;
  /** `'error'` (the default) blocks downstream materializations when the check fails; `'warn'` does not. */
  readonly severity?: CheckSeverity;
  /** Shown with the asset's definition. */
  readonly description?: string;
}

/** A data-quality check of an asset's output, made by {@link check}. `T` is the value it inspects. */
export interface AssetCheck<T = unknown> {
  readonly kind: 'check';
  readonly name: string;
  readonly severity: CheckSeverity;
  readonly description: string | undefined;
  /** Resources the check names, by the names `ctx.resources` gives them. */
  readonly resources: ResourceMap;
  readonly fn: CheckFunction<T, Readonly<Record<string, unknown>>>;
}

/**
 * Declares a data-quality check, to list in an asset's `checks`. After each materialization the
 * asset's checks run in order on the output as downstream assets would receive it (JSON as
 * stored, so a `Date` is a string; a stream output as a fresh stream read from the store; a
 * `Buffer` as a Buffer; a `PayloadRef` as the reference). Every result is recorded with the
 * materialization and in the event log (`check.passed`, `check.warned`, `check.failed`).
 *
 * Annotate `value`: the annotation is checked against the asset's output, so a check written
 * for another shape of data does not compile. (Unannotated, `value` is inferred only when
 * `materialize` has no untyped parameters; usually TypeScript resolves `check(...)` before it
 * knows the output type, and `value` is `unknown`.)
 *
 * @param name - unique among the asset's checks, e.g. `'no null ids'`.
 * @param fn - returns `true`/`false` or `{ passed, message?, metadata? }`; throwing fails the check.
 * @example
 * ```ts
 * export const revenue = asset({
 *   key: 'gold/daily_revenue',
 *   materialize: (ctx): DailyRevenue[] => rollUp(),
 *   checks: [
 *     check('no negative revenue', (ctx, rows: DailyRevenue[]) => rows.every((d) => d.revenueEur >= 0)),
 *     check('has recent days', (ctx, rows: DailyRevenue[]) => ({ passed: rows.length >= 7, metadata: { days: rows.length } }),
 *       { severity: 'warn' }),
 *   ],
 * });
 * ```
 * Severity and names are validated by `asset()`, whose error names the asset and its file.
 */
export function check<T = unknown, const R extends ResourceMap = Record<never, never>>(
  name: string,
  fn: CheckFunction<T, ResourceInstances<R>>,
  options: CheckOptions<R> = {},
): AssetCheck<T> {
  return Object.freeze({
    kind: 'check' as const,
    name,
    severity: options.severity ?? 'error',
    description: options.description,
    resources: Object.freeze({ ...(options.resources ?? {}) }),
    // The map's own types were checked at the call; here only names and instances remain.
    fn: fn as CheckFunction<T, Readonly<Record<string, unknown>>>,
  });
}

/** Returns what is wrong with an asset's `checks`, or `undefined` when they are valid. */
export function checksProblem(checks: unknown): string | undefined {
  if (!Array.isArray(checks)) return `checks must be a list of check(...) values (got ${typeof checks})`;
  const seen = new Set<string>();
  for (const [index, item] of checks.entries()) {
    if (typeof item !== 'object' || item === null || (item as { kind?: unknown }).kind !== 'check') {
      return `checks[${index}] is not made by check(name, fn, options) (got ${item === null ? 'null' : typeof item})`;
    }
    const { name, fn, severity, description } = item as AssetCheck;
    if (typeof name !== 'string' || name.trim() === '') {
      return `checks[${index}] needs a non-empty name (got ${JSON.stringify(name)})`;
    }
    if (seen.has(name)) return `two checks are named '${name}' (names must be unique per asset)`;
    seen.add(name);
    if (typeof fn !== 'function') return `check '${name}' has no function`;
    if (severity !== 'warn' && severity !== 'error') {
      return `check '${name}' has severity ${JSON.stringify(severity)}: use 'warn' or 'error'`;
    }
    if (description !== undefined && typeof description !== 'string') {
      return `check '${name}' has a description that is not a string`;
    }
    const resources = resourcesProblem((item as AssetCheck).resources);
    if (resources) return `check '${name}' ${resources}`;
  }
  return undefined;
}
