/** Runs, their steps, attempts, checkpoints and events. */
export const runTypeDefs = /* GraphQL */ `
  input RunFilter {
    status: [RunStatus!]
    "Runs with a step of this asset."
    asset: String
    trigger: [RunTrigger!]
    createdAfter: DateTime
    createdBefore: DateTime
  }

  type RunConnection {
    nodes: [Run!]!
    pageInfo: PageInfo!
  }

  type StepCounts {
    total: Int!
    pending: Int!
    queued: Int!
    running: Int!
    retryScheduled: Int!
    succeeded: Int!
    failed: Int!
    skipped: Int!
    canceled: Int!
  }

  type Run {
    id: ID!
    status: RunStatus!
    trigger: RunTrigger!
    triggerDetail: JSON!
    "The run config given at launch, keyed by asset key; null when none was."
    config: JSON
    selection: String!
    parentRunId: String
    "The backfill this run belongs to, if any."
    backfillId: String
    createdAt: DateTime!
    startedAt: DateTime
    endedAt: DateTime
    "The asset keys of its steps."
    assetKeys: [String!]!
    stepCounts: StepCounts!
    steps: [Step!]!
    "Events of the run in order (steps, attempts, logs...), after the event id 'after'."
    events(after: String, first: Int = 500, types: [String!]): [RunEvent!]!
    "Log lines only (events of type 'log')."
    logs(after: String, first: Int = 500): [RunEvent!]!
    "Re-execution from failure is possible (the run ended and did not succeed)."
    canReexecute: Boolean!
    canCancel: Boolean!
  }

  type Step {
    id: ID!
    assetKey: String!
    partitionKey: String
    status: StepStatus!
    attemptCount: Int!
    nextAttemptAt: DateTime
    startedAt: DateTime
    endedAt: DateTime
    error: String
    "Reused from an earlier run (re-execution from failure): not recomputed."
    reused: Boolean!
    output: Output
    attempts: [Attempt!]!
    checkpoints: [Checkpoint!]!
    checks: [CheckResult!]!
  }

  type Attempt {
    id: ID!
    number: Int!
    status: AttemptStatus!
    workerId: String!
    startedAt: DateTime!
    endedAt: DateTime
    heartbeatAt: DateTime
    errorKind: String
    errorMessage: String
    errorStack: String
    "The backoff before the next attempt (set when this attempt failed and a retry was scheduled)."
    retryDelayMs: Float
  }

  type Checkpoint {
    id: ID!
    attemptId: String!
    createdAt: DateTime!
    "Inline state (small checkpoints) or null when stored at 'uri'."
    state: JSON
    uri: String
  }

  type RunEvent {
    id: ID!
    at: DateTime!
    type: String!
    level: EventLevel!
    message: String!
    runId: String
    stepId: String
    attemptId: String
    assetKey: String
    data: JSON!
  }
`;
