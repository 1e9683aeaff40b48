/** The GraphQL documents of the asset page (and the Materialize button), with their result shapes. */
import { gql } from '../api/graphql-client';
import type { AssetKind, AssetStatus } from '../lineage/lineage-types';
import type { JsonSchema } from './run-config-form';

export type FreshnessStatus = 'FRESH' | 'WARNING' | 'LATE';
export type PartitionStatus = 'MATERIALIZED' | 'MISSING' | 'RUNNING' | 'FAILED';
export type CheckSeverity = 'WARN' | 'ERROR';

export const ASSET_DETAIL_QUERY = gql`
  query ConsoleAssetDetail($key: String!) {
    asset(key: $key) {
      key
      kind
      group
      owners
      tags {
        key
        value
      }
      description
      codeVersion
      definedAt
      multiAsset
      deps
      dependents
      pool
      automation
      partitionsDefinition
      status
      stale
      staleReasons
      running
      lastMaterialization {
        id
        runId
        createdAt
        partitionKey
      }
      metadataSeries(limit: 100) {
        name
        points {
          at
          value
          runId
        }
      }
      partitions {
        key
        status
        materializedAt
        runId
      }
      checks {
        name
        severity
        description
        latest {
          passed
          message
          createdAt
          runId
        }
      }
      freshness {
        partitionKey
        policy
        status
        since
        lastMaterializedAt
        lagMs
        nextDeadline
        missedDeadline
        lastBreachAt
      }
      freshnessHistory(first: 50) {
        id
        at
        partitionKey
        status
        message
        lagMs
        missedDeadline
      }
      decisions(first: 50) {
        id
        at
        requested
        reasons
        runId
        partition
        trigger
        evaluationSize
      }
      table {
        rowCount
        bytes
        schemaHash
        columns {
          name
          type
          nullable
        }
        schemaChange {
          added {
            name
            type
            nullable
          }
          removed {
            name
            type
            nullable
          }
          typeChanged {
            name
            from
            to
          }
        }
      }
      rowCountSeries(limit: 100) {
        at
        value
        runId
      }
      columnLineage {
        from {
          asset
          column
        }
        to {
          asset
          column
        }
      }
    }
  }
`;

/** One decision's evaluation tree, loaded when a reader opens it (the list carries no trees). */
export const DECISION_EVALUATION_QUERY = gql`
  query ConsoleDecisionEvaluation($key: String!, $id: ID!) {
    asset(key: $key) {
      key
      decision(id: $id) {
        id
        evaluation {
          id
          parentId
          depth
          kind
          label
          value
          truePartitionCount
          candidatePartitionCount
          truePartitions(first: 10)
          reasons
        }
      }
    }
  }
`;

export interface MetadataPoint {
  at: string;
  value: number;
  runId: string;
}

export interface MetadataSeries {
  name: string;
  points: MetadataPoint[];
}

export interface PartitionState {
  key: string;
  status: PartitionStatus;
  materializedAt: string | null;
  runId: string | null;
}

export interface AssetCheck {
  name: string;
  severity: CheckSeverity;
  description: string | null;
  latest: { passed: boolean; message: string | null; createdAt: string | null; runId: string | null } | null;
}

export interface FreshnessState {
  partitionKey: string | null;
  policy: string;
  status: FreshnessStatus;
  since: string | null;
  lastMaterializedAt: string | null;
  lagMs: number | null;
  nextDeadline: string | null;
  missedDeadline: string | null;
  lastBreachAt: string | null;
}

export interface FreshnessTransition {
  id: string;
  at: string;
  partitionKey: string | null;
  status: FreshnessStatus;
  message: string;
  lagMs: number | null;
  missedDeadline: string | null;
}

export interface AutomationDecision {
  id: string;
  at: string;
  requested: boolean;
  reasons: string[];
  runId: string | null;
  partition: string | null;
  trigger: string | null;
  /** How many nodes its evaluation tree has (load it with DECISION_EVALUATION_QUERY); null: none recorded. */
  evaluationSize: number | null;
}

export interface DecisionEvaluation {
  asset: { key: string; decision: { id: string; evaluation: EvaluationRow[] | null } | null };
}

/** One node of a decision's condition tree, as the API flattens it (rebuild with `parentId`). */
export interface EvaluationRow {
  id: string;
  parentId: string | null;
  depth: number;
  kind: string;
  label: string;
  value: boolean;
  truePartitionCount: number | null;
  candidatePartitionCount: number | null;
  /** The first ten partitions it held for (the count says how many). */
  truePartitions: string[] | null;
  reasons: string[];
}

export interface TableColumn {
  name: string;
  type: string;
  nullable: boolean;
}

export interface SchemaChange {
  added: TableColumn[];
  removed: TableColumn[];
  typeChanged: { name: string; from: string; to: string }[];
}

/** The latest table the asset materialized (`Asset.table`): sizes are Floats, whole numbers. */
export interface TableMetadata {
  rowCount: number;
  bytes: number;
  schemaHash: string;
  columns: TableColumn[];
  /** Null for the first materialization or when the schema did not change. */
  schemaChange: SchemaChange | null;
}

export interface ColumnRef {
  asset: string;
  column: string;
}

/** An upstream asset's column → a column of this asset. */
export interface ColumnLineageEdge {
  from: ColumnRef;
  to: ColumnRef;
}

export interface AssetDetail {
  key: string;
  kind: AssetKind;
  group: string;
  owners: string[];
  tags: { key: string; value: string }[];
  description: string | null;
  codeVersion: string | null;
  definedAt: string | null;
  /** The multi-asset producing this asset with its other outputs (null: an ordinary asset). */
  multiAsset?: string | null;
  deps: string[];
  dependents: string[];
  pool: string | null;
  automation: string | null;
  partitionsDefinition: string | null;
  status: AssetStatus;
  stale: boolean;
  staleReasons: string[];
  running: boolean;
  lastMaterialization: { id: string; runId: string; createdAt: string; partitionKey: string | null } | null;
  metadataSeries: MetadataSeries[];
  partitions: PartitionState[];
  checks: AssetCheck[];
  freshness: FreshnessState | null;
  freshnessHistory: FreshnessTransition[];
  decisions: AutomationDecision[];
  /** Null when the latest materialization is not a table (absent in documents that do not ask). */
  table?: TableMetadata | null;
  rowCountSeries?: MetadataPoint[];
  columnLineage?: ColumnLineageEdge[];
}

export const ASSET_MATERIALIZATIONS_QUERY = gql`
  query ConsoleAssetMaterializations($key: String!, $first: Int, $after: String) {
    asset(key: $key) {
      key
      materializations(first: $first, after: $after) {
        nodes {
          id
          runId
          stepId
          partitionKey
          createdAt
          codeVersion
          dataVersion
          output {
            valueType
            size
            uri
            metadata
          }
          checks {
            checkName
            passed
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

export interface MaterializationRow {
  id: string;
  runId: string;
  stepId: string;
  partitionKey: string | null;
  createdAt: string;
  codeVersion: string | null;
  dataVersion: string;
  output: { valueType: string; size: number; uri: string | null; metadata: Record<string, unknown> };
  checks: { checkName: string; passed: boolean }[];
}

export interface MaterializationPage {
  asset: {
    key: string;
    materializations: { nodes: MaterializationRow[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };
}

export const MATERIALIZE_MUTATION = gql`
  mutation ConsoleMaterialize($selection: String!, $partitions: [String!], $config: JSON) {
    materialize(selection: $selection, partitions: $partitions, config: $config) {
      id
      status
    }
  }
`;

/** The assets of a selection that take run config (the Materialize dialog's form). */
export const RUN_CONFIG_SCHEMAS_QUERY = gql`
  query ConsoleRunConfigSchemas($selection: String!) {
    runConfigSchemas(selection: $selection) {
      assetKey
      jsonSchema
    }
  }
`;

export interface RunConfigSchemasResponse {
  runConfigSchemas: Array<{ assetKey: string; jsonSchema: JsonSchema | null }>;
}

export interface MaterializeResponse {
  materialize: { id: string; status: string };
}
