/**
 * The shapes of the run data the console asks for (a subset of the GraphQL schema in
 * server/src/api/graphql/schema.graphql.ts; field names match it exactly).
 */
export type RunStatus = 'QUEUED' | 'RUNNING' | 'CANCELING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';
export type RunTrigger =
  'MANUAL' | 'SCHEDULE' | 'UPSTREAM' | 'AUTOMATION' | 'BACKFILL' | 'SENSOR' | 'REEXECUTION' | 'EXTERNAL';
export type StepStatus =
  'PENDING' | 'QUEUED' | 'RUNNING' | 'RETRY_SCHEDULED' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'CANCELED';
export type AttemptStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'LOST' | 'CANCELED';
export type EventLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export const RUN_STATUSES: RunStatus[] = ['QUEUED', 'RUNNING', 'CANCELING', 'SUCCEEDED', 'FAILED', 'CANCELED'];
export const RUN_TRIGGERS: RunTrigger[] = [
  'MANUAL',
  'SCHEDULE',
  'UPSTREAM',
  'AUTOMATION',
  'BACKFILL',
  'SENSOR',
  'REEXECUTION',
  'EXTERNAL',
];

/** A run that will not change any more. */
export function isTerminal(status: RunStatus): boolean {
  return status === 'SUCCEEDED' || status === 'FAILED' || status === 'CANCELED';
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface StepCounts {
  total: number;
  pending: number;
  queued: number;
  running: number;
  retryScheduled: number;
  succeeded: number;
  failed: number;
  skipped: number;
  canceled: number;
}

/** One row of the runs table. */
export interface RunSummary {
  id: string;
  status: RunStatus;
  trigger: RunTrigger;
  selection: string;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  assetKeys: string[];
  stepCounts: StepCounts;
}

export interface RunConnection {
  nodes: RunSummary[];
  pageInfo: PageInfo;
}

export interface Output {
  valueType: string;
  size: number;
  uri: string | null;
  sha256: string | null;
  metadata: Record<string, unknown>;
}

export interface Attempt {
  id: string;
  number: number;
  status: AttemptStatus;
  workerId: string;
  startedAt: string;
  endedAt: string | null;
  heartbeatAt: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  errorStack: string | null;
  retryDelayMs: number | null;
}

export interface Checkpoint {
  id: string;
  attemptId: string;
  createdAt: string;
  state: unknown;
  uri: string | null;
}

export interface CheckResult {
  checkName: string;
  severity: 'WARN' | 'ERROR';
  passed: boolean;
  message: string | null;
}

export interface Step {
  id: string;
  assetKey: string;
  partitionKey: string | null;
  status: StepStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  startedAt: string | null;
  endedAt: string | null;
  error: string | null;
  reused: boolean;
  output: Output | null;
  attempts: Attempt[];
  checkpoints: Checkpoint[];
  checks: CheckResult[];
}

export interface RunDetail extends RunSummary {
  triggerDetail: unknown;
  /** Run config given at launch, keyed by asset key; null when none was. */
  config?: Record<string, unknown> | null;
  parentRunId: string | null;
  backfillId: string | null;
  canReexecute: boolean;
  canCancel: boolean;
  steps: Step[];
}

export interface RunEvent {
  id: string;
  at: string;
  type: string;
  level: EventLevel;
  message: string;
  stepId: string | null;
  attemptId: string | null;
  assetKey: string | null;
  data: unknown;
}
