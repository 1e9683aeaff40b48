/** Scalars, enums and the small shared types (page info, viewer, tags). */
export const commonTypeDefs = /* GraphQL */ `
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
`;
