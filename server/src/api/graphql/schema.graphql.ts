/**
 * The GraphQL schema of Weir's API (schema-first): what the console and external tools use.
 *
 * Errors: expected failures carry `extensions.code`: UNAUTHENTICATED (no/invalid/revoked
 * token), FORBIDDEN (role too weak), NOT_FOUND, BAD_USER_INPUT (invalid selection, partition,
 * page size...), CONFLICT (e.g. run not cancellable), RATE_LIMITED, TOO_MANY_REQUESTS (too many expensive operations of one token at once),
 * BAD_REQUEST (malformed request, e.g. a persisted-query hash mismatch), QUERY_TOO_COMPLEX (depth or
 * complexity over the limits). Anything else is INTERNAL_SERVER_ERROR, without a stack trace.
 */
export const typeDefs = /* GraphQL */ `
  "An ISO-8601 timestamp, e.g. 2026-11-21T09:00:00.000Z."
  scalar DateTime
  "Any JSON value (metadata, trigger details, event data)."
  scalar JSON

  enum Role {
    VIEWER
    OPERATOR
    ADMIN
  }
  enum AssetKind {
    ASSET
    SOURCE
  }
  "What the lineage shows for an asset, most urgent first: RUNNING, FAILED, LATE, NEVER_MATERIALIZED, STALE, FRESH."
  enum AssetStatus {
    FRESH
    STALE
    RUNNING
    FAILED
    LATE
    NEVER_MATERIALIZED
  }
  enum FreshnessStatus {
    FRESH
    WARNING
    LATE
  }
  enum RunStatus {
    QUEUED
    RUNNING
    CANCELING
    SUCCEEDED
    FAILED
    CANCELED
  }
  enum RunTrigger {
    MANUAL
    SCHEDULE
    UPSTREAM
    AUTOMATION
    BACKFILL
    SENSOR
    REEXECUTION
    EXTERNAL
  }
  enum StepStatus {
    PENDING
    QUEUED
    RUNNING
    RETRY_SCHEDULED
    SUCCEEDED
    FAILED
    SKIPPED
    CANCELED
  }
  enum AttemptStatus {
    RUNNING
    SUCCEEDED
    FAILED
    LOST
    CANCELED
  }
  enum ReexecutionMode {
    FROM_FAILURE
    ALL
  }
  enum BackfillStatus {
    QUEUED
    RUNNING
    SUCCEEDED
    FAILED
    CANCELED
  }
  enum PartitionStatus {
    MATERIALIZED
    MISSING
    RUNNING
    FAILED
  }
  enum CheckSeverity {
    WARN
    ERROR
  }
  enum EventLevel {
    DEBUG
    INFO
    WARN
    ERROR
  }

  type PageInfo {
    hasNextPage: Boolean!
    "Pass as 'after' to get the next page."
    endCursor: String
  }

  "The caller: the token the request was authenticated with."
  type Viewer {
    tokenId: ID!
    name: String!
    role: Role!
  }

  type Tag {
    key: String!
    value: String!
  }

  input AssetFilter {
    group: String
    "A tag name, or name=value."
    tag: String
    owner: String
    status: [AssetStatus!]
    stale: Boolean
    late: Boolean
    "Substring of the key (case-insensitive)."
    search: String
  }

  type Asset {
    key: ID!
    kind: AssetKind!
    group: String!
    owners: [String!]!
    tags: [Tag!]!
    description: String
    codeVersion: String
    "file:line of the definition."
    definedAt: String
    "The multi-asset that produces this asset together with its other outputs, if any."
    multiAsset: String
    "Upstream asset keys."
    deps: [String!]!
    "Downstream asset keys."
    dependents: [String!]!
    pool: String
    "The automation condition in words, e.g. eager()."
    automation: String
    "The partitions definition in words, e.g. 'daily from 2025-01-01 (UTC)'; null when unpartitioned."
    partitionsDefinition: String
    status: AssetStatus!
    stale: Boolean!
    staleReasons: [String!]!
    "In a queued or running run now."
    running: Boolean!
    lastMaterialization: Materialization
    materializations(first: Int = 20, after: String, partition: String): MaterializationConnection!
    "Numeric metadata of the latest materializations (oldest first), one series per metadata key."
    metadataSeries(limit: Int = 100): [MetadataSeries!]!
    "Every partition with its status (empty when unpartitioned)."
    partitions: [PartitionState!]!
    checks: [AssetCheck!]!
    "Null when the asset has no freshness policy. For partitioned assets: the worst partition."
    freshness: FreshnessState
    "Freshness transitions (fresh / warning / late), newest first."
    freshnessHistory(first: Int = 50): [FreshnessTransition!]!
    "Why did / didn't this run: automation decisions, newest first."
    decisions(first: Int = 50): [AutomationDecision!]!
  }

  type Materialization {
    id: ID!
    runId: String!
    stepId: String!
    partitionKey: String
    createdAt: DateTime!
    codeVersion: String
    dataVersion: String!
    output: Output!
    checks: [CheckResult!]!
  }

  type MaterializationConnection {
    nodes: [Materialization!]!
    pageInfo: PageInfo!
  }

  "A stored output: inline JSON (uri null) or an object-store URI."
  type Output {
    valueType: String!
    "Bytes; a Float because sizes pass 2^31 (a GraphQL Int is 32-bit); always a whole number."
    size: Float!
    uri: String
    sha256: String
    metadata: JSON!
  }

  type MetadataSeries {
    name: String!
    points: [MetadataPoint!]!
  }

  type MetadataPoint {
    at: DateTime!
    value: Float!
    runId: String!
  }

  type PartitionState {
    key: String!
    status: PartitionStatus!
    materializedAt: DateTime
    runId: String
  }

  type AssetCheck {
    name: String!
    severity: CheckSeverity!
    description: String
    latest: CheckResult
  }

  type CheckResult {
    checkName: String!
    severity: CheckSeverity!
    passed: Boolean!
    message: String
    metadata: JSON!
    createdAt: DateTime
    runId: String
  }

  type FreshnessState {
    assetKey: String!
    partitionKey: String
    "The policy in words, e.g. maxLag(2h, warn 90m)."
    policy: String!
    status: FreshnessStatus!
    since: DateTime
    lastMaterializedAt: DateTime
    lagMs: Float
    nextDeadline: DateTime
    missedDeadline: DateTime
    lastBreachAt: DateTime
  }

  type FreshnessTransition {
    id: ID!
    at: DateTime!
    partitionKey: String
    status: FreshnessStatus!
    message: String!
    lagMs: Float
    missedDeadline: DateTime
  }

  type AutomationDecision {
    id: ID!
    at: DateTime!
    requested: Boolean!
    reasons: [String!]!
    runId: String
    partition: String
    trigger: String
  }

  type AssetEdge {
    "Upstream key."
    from: String!
    "Downstream key."
    to: String!
  }

  type AssetGraph {
    "Hash of the loaded definitions: changes when assets are added, removed or edited."
    hash: String!
    nodes: [Asset!]!
    edges: [AssetEdge!]!
  }

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

  input FreshnessFilter {
    owner: String
    group: String
    status: [FreshnessStatus!]
  }

  "One row of the stakeholders' freshness board."
  type FreshnessEntry {
    assetKey: String!
    group: String!
    owners: [String!]!
    description: String
    partitionKey: String
    policy: String!
    status: FreshnessStatus!
    since: DateTime
    lastMaterializedAt: DateTime
    lagMs: Float
    nextDeadline: DateTime
    missedDeadline: DateTime
    lastBreachAt: DateTime
  }

  type BackfillCounts {
    pending: Int!
    running: Int!
    succeeded: Int!
    failed: Int!
  }

  type BackfillPartition {
    key: String!
    status: String!
    runId: String
    error: String
  }

  type Backfill {
    id: ID!
    selection: String!
    status: BackfillStatus!
    "How many times its failed partitions were sent back to run (retryBackfill)."
    retries: Int!
    maxConcurrentRuns: Int!
    createdAt: DateTime!
    endedAt: DateTime
    total: Int!
    counts: BackfillCounts!
    partitions: [BackfillPartition!]!
  }

  type ApiToken {
    id: ID!
    name: String!
    role: Role!
    createdAt: DateTime!
    revokedAt: DateTime
    lastUsedAt: DateTime
  }

  type CreatedApiToken {
    "The secret, shown only in this response: it is stored hashed."
    token: String!
    apiToken: ApiToken!
  }

  type Observation {
    id: ID!
    assetKey: String!
    partitionKey: String
    dataVersion: String
    createdAt: DateTime!
    "Automated downstream assets this observation made run now."
    triggeredRunIds: [String!]!
  }

  input PartitionRange {
    from: String!
    to: String!
  }

  type Query {
    viewer: Viewer!
    assets(filter: AssetFilter): [Asset!]!
    "The asset, or a NOT_FOUND error naming the closest key."
    asset(key: String!): Asset!
    assetGraph(filter: AssetFilter): AssetGraph!
    "Newest first; at most 100 per page."
    runs(filter: RunFilter, first: Int = 20, after: String): RunConnection!
    "The run (id or unique prefix), or a NOT_FOUND error."
    run(id: String!): Run!
    freshness(filter: FreshnessFilter): [FreshnessEntry!]!
    backfills(first: Int = 20): [Backfill!]!
    backfill(id: String!): Backfill!
    "Admin only."
    apiTokens: [ApiToken!]!
    "The assets of the selection that declare a run config schema (in run order), for a launch form."
    runConfigSchemas(selection: String!): [AssetConfigSchema!]!
  }

  "An asset's run config schema."
  type AssetConfigSchema {
    assetKey: String!
    "JSON Schema (draft 2020-12) of the config the asset accepts; null when its schema library cannot describe it (give raw JSON then)."
    jsonSchema: JSON
  }

  type Mutation {
    "Operator. Partitions: explicit keys or a range (not both). Config: run config keyed by asset key (one object per asset that declares a config schema), validated against each asset's schema before the run is created (BAD_USER_INPUT naming the asset and field)."
    materialize(selection: String!, partitions: [String!], partitionRange: PartitionRange, config: JSON): Run!
    "Operator."
    backfill(
      selection: String!
      partitionRange: PartitionRange
      partitions: [String!]
      maxConcurrentRuns: Int
    ): Backfill!
    "Operator: run the failed partitions of a failed backfill again, each from its failure (succeeded steps are reused)."
    retryBackfill(id: String!): Backfill!
    "Operator."
    reexecuteRun(runId: String!, mode: ReexecutionMode = FROM_FAILURE): Run!
    "Operator."
    cancelRun(runId: String!): Run!
    "Operator: record an observation of an (external) asset; automated downstream assets react."
    reportAssetEvent(assetKey: String!, partition: String, dataVersion: String, metadata: JSON): Observation!
    "Operator. Returns the keys that were new."
    addDynamicPartitions(set: String!, keys: [String!]!): [String!]!
    "Admin."
    createApiToken(name: String!, role: Role!): CreatedApiToken!
    "Admin."
    revokeApiToken(id: String!): ApiToken!
  }

  type AssetStatusChange {
    assetKey: String!
    status: AssetStatus!
    at: DateTime!
    runId: String
  }

  type RunChange {
    runId: String!
    status: RunStatus!
    at: DateTime!
  }

  type Subscription {
    "The run's events as they are committed (steps, attempts, logs), from after 'afterId' (default: the start)."
    runEvents(runId: String!, afterId: String): RunEvent!
    "Status changes of the given assets (all when omitted). With keys, each asset's current status comes first."
    assetStatusChanged(keys: [String!]): AssetStatusChange!
    "Runs created or changing status."
    runsChanged: RunChange!
  }
`;
