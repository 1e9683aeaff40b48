/**
 * How much a failing check matters. `'error'` is blocking: the output is still recorded, but the
 * step fails and its downstream steps in the run are skipped (a circuit breaker). `'warn'` only
 * records the failure and logs a warning; downstream steps run.
 */
export type CheckSeverity = 'warn' | 'error';
