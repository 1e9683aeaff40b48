/** Freshness board, backfills, API tokens, observations and partition ranges. */
export const operationsTypeDefs = /* GraphQL */ `
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
`;
