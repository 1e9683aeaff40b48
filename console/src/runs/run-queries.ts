/** The GraphQL documents of the runs pages, next to the types they return (run-types.ts). */
import { gql } from '../api/graphql-client';

const RUN_SUMMARY_FIELDS = `
  id
  status
  trigger
  selection
  createdAt
  startedAt
  endedAt
  assetKeys
  stepCounts { total pending queued running retryScheduled succeeded failed skipped canceled }
`;

export const RUNS_QUERY = gql`
  query ConsoleRuns($filter: RunFilter, $first: Int, $after: String) {
    runs(filter: $filter, first: $first, after: $after) {
      nodes { ${RUN_SUMMARY_FIELDS} }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

export const RUNS_CHANGED_SUBSCRIPTION = gql`
  subscription ConsoleRunsChanged {
    runsChanged {
      runId
      status
      at
    }
  }
`;

export const RUN_QUERY = gql`
  query ConsoleRun($id: String!) {
    run(id: $id) {
      ${RUN_SUMMARY_FIELDS}
      triggerDetail
      config
      parentRunId
      backfillId
      canReexecute
      canCancel
      steps {
        id
        assetKey
        partitionKey
        status
        attemptCount
        nextAttemptAt
        startedAt
        endedAt
        error
        reused
        output { valueType size uri sha256 metadata }
        attempts {
          id number status workerId startedAt endedAt heartbeatAt errorKind errorMessage errorStack retryDelayMs
        }
        checkpoints { id attemptId createdAt state uri }
        checks { checkName severity passed message }
      }
    }
  }
`;

const EVENT_FIELDS = 'id at type level message stepId attemptId assetKey data';

export const RUN_EVENTS_QUERY = gql`
  query ConsoleRunEvents($id: String!, $after: String, $first: Int) {
    run(id: $id) {
      id
      events(after: $after, first: $first) { ${EVENT_FIELDS} }
    }
  }
`;

export const RUN_EVENTS_SUBSCRIPTION = gql`
  subscription ConsoleRunEventsLive($runId: String!, $afterId: String) {
    runEvents(runId: $runId, afterId: $afterId) { ${EVENT_FIELDS} }
  }
`;

export const REEXECUTE_RUN = gql`
  mutation ConsoleReexecuteRun($runId: String!, $mode: ReexecutionMode) {
    reexecuteRun(runId: $runId, mode: $mode) {
      id
      status
    }
  }
`;

export const CANCEL_RUN = gql`
  mutation ConsoleCancelRun($runId: String!) {
    cancelRun(runId: $runId) {
      id
      status
      canCancel
    }
  }
`;
