/** The backfills page's data: `Query.backfills` and `Mutation.retryBackfill` (see the GraphQL schema). */
import { gql } from '../api/graphql-client';

export type BackfillStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELED';
export type BackfillPartitionStatus = 'pending' | 'running' | 'succeeded' | 'failed';

export interface BackfillPartition {
  key: string;
  status: BackfillPartitionStatus;
  runId: string | null;
  error: string | null;
}

export interface Backfill {
  id: string;
  selection: string;
  status: BackfillStatus;
  retries: number;
  maxConcurrentRuns: number;
  createdAt: string;
  endedAt: string | null;
  total: number;
  counts: Record<BackfillPartitionStatus, number>;
  partitions: BackfillPartition[];
}

const BACKFILL_FIELDS = `
  id
  selection
  status
  retries
  maxConcurrentRuns
  createdAt
  endedAt
  total
  counts {
    pending
    running
    succeeded
    failed
  }
  partitions {
    key
    status
    runId
    error
  }
`;

export const BACKFILLS_QUERY = gql`
  query ConsoleBackfills($first: Int) {
    backfills(first: $first) {
      ${BACKFILL_FIELDS}
    }
  }
`;

export const RETRY_BACKFILL = gql`
  mutation ConsoleRetryBackfill($id: String!) {
    retryBackfill(id: $id) {
      ${BACKFILL_FIELDS}
    }
  }
`;

export const CREATE_BACKFILL = gql`
  mutation ConsoleCreateBackfill($selection: String!, $partitions: [String!]) {
    backfill(selection: $selection, partitions: $partitions) {
      id
      total
    }
  }
`;
