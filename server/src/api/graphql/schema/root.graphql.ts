/** The entry points: queries, mutations and subscriptions. */
export const rootTypeDefs = /* GraphQL */ `
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
