/** The GraphQL documents of the lineage page and its side panel, with the shapes they return. */
import { gql } from '../api/graphql-client';
import type { AssetKind, AssetStatus, LineageEdge } from './lineage-types';

export const LINEAGE_GRAPH_QUERY = gql`
  query ConsoleLineageGraph {
    assetGraph {
      hash
      nodes {
        key
        group
        kind
        status
      }
      edges {
        from
        to
      }
    }
  }
`;

export interface LineageGraphResponse {
  assetGraph: {
    hash: string;
    nodes: { key: string; group: string; kind: AssetKind; status: string }[];
    edges: LineageEdge[];
  };
}

/** Only the hash: a cheap way to notice that definitions were deployed. */
export const LINEAGE_HASH_QUERY = gql`
  query ConsoleLineageHash {
    assetGraph {
      hash
    }
  }
`;

export interface LineageHashResponse {
  assetGraph: { hash: string };
}

export const ASSET_STATUS_SUBSCRIPTION = gql`
  subscription ConsoleAssetStatusChanged($keys: [String!]) {
    assetStatusChanged(keys: $keys) {
      assetKey
      status
      at
      runId
    }
  }
`;

export interface AssetStatusChange {
  assetKey: string;
  status: AssetStatus;
  at: string;
  runId: string | null;
}

export const LINEAGE_ASSET_SUMMARY_QUERY = gql`
  query ConsoleLineageAssetSummary($key: String!) {
    asset(key: $key) {
      key
      kind
      group
      description
      status
      stale
      staleReasons
      running
      deps
      dependents
      partitionsDefinition
      lastMaterialization {
        id
        runId
        createdAt
        partitionKey
      }
      freshness {
        policy
        status
        since
        lagMs
        nextDeadline
        missedDeadline
        lastBreachAt
      }
    }
  }
`;

export interface LineageAssetSummary {
  key: string;
  kind: AssetKind;
  group: string;
  description: string | null;
  status: AssetStatus;
  stale: boolean;
  staleReasons: string[];
  running: boolean;
  deps: string[];
  dependents: string[];
  partitionsDefinition: string | null;
  lastMaterialization: { id: string; runId: string; createdAt: string; partitionKey: string | null } | null;
  freshness: {
    policy: string;
    status: 'FRESH' | 'WARNING' | 'LATE';
    since: string | null;
    lagMs: number | null;
    nextDeadline: string | null;
    missedDeadline: string | null;
    lastBreachAt: string | null;
  } | null;
}
