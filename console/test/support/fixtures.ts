// Small builders for run and freshness data, with readable defaults overridden per test.
import type { FreshnessEntry } from '../../src/freshness/freshness-types';
import type { Attempt, RunSummary, Step } from '../../src/runs/run-types';

export const T0 = Date.parse('2026-11-21T09:00:00.000Z');
export const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

export function runSummary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 'run-0001-aaaa-bbbb',
    status: 'SUCCEEDED',
    trigger: 'MANUAL',
    selection: 'orders',
    createdAt: at(0),
    startedAt: at(1_000),
    endedAt: at(61_000),
    assetKeys: ['orders'],
    stepCounts: {
      total: 1,
      pending: 0,
      queued: 0,
      running: 0,
      retryScheduled: 0,
      succeeded: 1,
      failed: 0,
      skipped: 0,
      canceled: 0,
    },
    ...overrides,
  };
}

export function attempt(overrides: Partial<Attempt> & Pick<Attempt, 'number'>): Attempt {
  return {
    id: `attempt-${overrides.number}`,
    status: 'SUCCEEDED',
    workerId: 'worker-1',
    startedAt: at(0),
    endedAt: at(1_000),
    heartbeatAt: null,
    errorKind: null,
    errorMessage: null,
    errorStack: null,
    retryDelayMs: null,
    ...overrides,
  };
}

export function step(overrides: Partial<Step> & Pick<Step, 'id' | 'assetKey'>): Step {
  return {
    partitionKey: null,
    status: 'SUCCEEDED',
    attemptCount: overrides.attempts?.length ?? 0,
    nextAttemptAt: null,
    startedAt: null,
    endedAt: null,
    error: null,
    reused: false,
    output: null,
    attempts: [],
    checkpoints: [],
    checks: [],
    ...overrides,
  };
}

export function freshnessEntry(overrides: Partial<FreshnessEntry> & Pick<FreshnessEntry, 'assetKey'>): FreshnessEntry {
  return {
    group: 'default',
    owners: [],
    description: null,
    partitionKey: null,
    policy: 'maxLag(2h)',
    status: 'FRESH',
    since: null,
    lastMaterializedAt: at(-30 * 60_000),
    lagMs: 30 * 60_000,
    nextDeadline: at(90 * 60_000),
    missedDeadline: null,
    lastBreachAt: null,
    ...overrides,
  };
}
