/** Assets and what hangs off them: materializations, checks, freshness, automation decisions, the graph. */
export const assetTypeDefs = /* GraphQL */ `
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
`;
