/** The freshness board's data: `Query.freshness` (see the GraphQL schema). */
import { gql } from '../api/graphql-client';

export type FreshnessStatus = 'FRESH' | 'WARNING' | 'LATE';

export interface FreshnessEntry {
  assetKey: string;
  group: string;
  owners: string[];
  description: string | null;
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

export const FRESHNESS_QUERY = gql`
  query ConsoleFreshness {
    freshness {
      assetKey
      group
      owners
      description
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
  }
`;

/** Asset status changes (a late asset, a new materialization) are the board's cue to refresh. */
export const ASSET_STATUS_SUBSCRIPTION = gql`
  subscription ConsoleFreshnessChanges {
    assetStatusChanged {
      assetKey
      status
      at
    }
  }
`;
