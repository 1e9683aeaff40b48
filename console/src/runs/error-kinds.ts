/**
 * Words for an attempt's `errorKind` (why it failed), for whoever reads the run page at 3 a.m.:
 * a short label, and for the kinds where the fix is not obvious, one sentence on what to do.
 * Kinds this console does not know yet are shown as they are.
 */

const LABELS: Readonly<Record<string, string>> = {
  user: 'Error',
  non_retryable: 'Non-retryable error',
  timeout: 'Timed out',
  out_of_memory: 'Out of memory',
  crashed: 'Crashed',
  canceled: 'Canceled',
  lost: 'Lost (worker stopped heartbeating)',
  check: 'Blocking check failed',
  system: 'Weir could not run the step',
  commit_failed: 'Output stored, but recording it failed',
};

const HINTS: Readonly<Record<string, string>> = {
  timeout:
    "Raise the asset's timeout (or WEIR_STEP_TIMEOUT), or make the step honour ctx.signal so it stops when asked.",
  out_of_memory: "Raise the asset's memory limit (or WEIR_STEP_MEMORY), or stream the data instead of holding it all.",
  crashed:
    'The isolate died: look for process.exit() or an uncaught error thrown from a timer or an unawaited promise.',
  commit_failed:
    "Not the asset's fault: the database refused or lost the commit (see the message). The stored output was deleted and the step is retried per its retry policy; check the database if it persists.",
};

/**
 * The label of an error kind, e.g. `out_of_memory` → "Out of memory".
 *
 * @param kind - an attempt's `errorKind`
 * @returns the label, the kind itself when it is not a known one, or null when there is no kind
 */
export function errorKindLabel(kind: string | null | undefined): string | null {
  if (!kind) return null;
  return Object.hasOwn(LABELS, kind) ? LABELS[kind]! : kind;
}

/**
 * One sentence on what to do about an error kind, e.g. for `timeout`: raise the limit or honour
 * `ctx.signal`.
 *
 * @param kind - an attempt's `errorKind`
 * @returns the hint, or null when the kind needs none (the message says it all) or is unknown
 */
export function errorKindHint(kind: string | null | undefined): string | null {
  if (!kind || !Object.hasOwn(HINTS, kind)) return null;
  return HINTS[kind]!;
}
