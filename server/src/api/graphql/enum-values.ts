/**
 * GraphQL enums are UPPER_CASE; Weir stores lower_case. Each enum resolver maps one to the
 * other, so resolvers read and return the stored values unchanged.
 */
function lowerCaseEnum(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(values.map((value) => [value.toUpperCase(), value]));
}

export const enumResolvers = {
  Role: lowerCaseEnum(['viewer', 'operator', 'admin']),
  AssetKind: lowerCaseEnum(['asset', 'source']),
  AssetStatus: lowerCaseEnum(['fresh', 'stale', 'running', 'failed', 'late', 'never_materialized']),
  FreshnessStatus: lowerCaseEnum(['fresh', 'warning', 'late']),
  RunStatus: lowerCaseEnum(['queued', 'running', 'canceling', 'succeeded', 'failed', 'canceled']),
  RunTrigger: lowerCaseEnum([
    'manual',
    'schedule',
    'upstream',
    'automation',
    'backfill',
    'sensor',
    'reexecution',
    'external',
  ]),
  StepStatus: lowerCaseEnum([
    'pending',
    'queued',
    'running',
    'retry_scheduled',
    'succeeded',
    'failed',
    'skipped',
    'canceled',
  ]),
  AttemptStatus: lowerCaseEnum(['running', 'succeeded', 'failed', 'lost', 'canceled']),
  ReexecutionMode: { FROM_FAILURE: 'from-failure', ALL: 'all' },
  BackfillStatus: lowerCaseEnum(['queued', 'running', 'succeeded', 'failed', 'canceled']),
  PartitionStatus: lowerCaseEnum(['materialized', 'missing', 'running', 'failed']),
  CheckSeverity: lowerCaseEnum(['warn', 'error']),
  EventLevel: lowerCaseEnum(['debug', 'info', 'warn', 'error']),
};
