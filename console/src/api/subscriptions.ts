/**
 * Live data over graphql-ws at `ws(s)://<host>/graphql` (the session cookie is sent on upgrade).
 *
 * Exports:
 * - `subscribe<T>(query, variables, onData, onError?)` starts a subscription and returns the function
 *   that stops it. `onData` receives each payload's `data`; `onError` receives a
 *   {@link GraphQLRequestError} (UNAUTHENTICATED also triggers the sign-in redirect).
 *
 * One WebSocket is shared by every subscription of the page; it opens lazily on the first
 * subscription, reconnects with backoff, and closes shortly after the last one stops.
 *
 * @example
 * const stop = subscribe<{ runEvents: RunEvent }>(gql`subscription ($runId: String!) { runEvents(runId: $runId) { id message } }`,
 *   { runId }, (data) => events.push(data.runEvents));
 * onUnmounted(stop);
 */
import { createClient, type Client } from 'graphql-ws';
import { GraphQLRequestError, reportUnauthenticated, type GraphQLErrorEntry } from './graphql-client';

let client: Client | undefined;

function sharedClient(): Client {
  if (!client) {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    client = createClient({
      url: `${scheme}//${window.location.host}/graphql`,
      lazy: true,
      lazyCloseTimeout: 3_000,
      retryAttempts: Infinity,
      // Close codes 4401/4403 mean the session is gone: retrying would loop forever.
      shouldRetry: (event) => !isAuthClose(event),
    });
  }
  return client;
}

function isAuthClose(event: unknown): boolean {
  const code = (event as { code?: number } | undefined)?.code;
  return code === 4401 || code === 4403;
}

/** Starts a subscription; returns the function that stops it (safe to call more than once). */
export function subscribe<T>(
  query: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  onError?: (error: GraphQLRequestError) => void,
): () => void {
  let stopped = false;
  const dispose = sharedClient().subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (stopped) return;
        const errors = (result.errors ?? []) as GraphQLErrorEntry[];
        if (errors.length > 0) {
          fail(
            new GraphQLRequestError(errors[0]!.message, errors[0]!.extensions?.code ?? 'INTERNAL_SERVER_ERROR', errors),
          );
          return;
        }
        if (result.data != null) onData(result.data as T);
      },
      error: (cause) => {
        if (!stopped) fail(toRequestError(cause));
      },
      complete: () => undefined,
    },
  );

  function fail(error: GraphQLRequestError): void {
    if (error.code === 'UNAUTHENTICATED') reportUnauthenticated();
    onError?.(error);
  }

  return () => {
    if (stopped) return;
    stopped = true;
    dispose();
  };
}

// graphql-ws reports errors as an array of GraphQL errors, a CloseEvent or an Error.
function toRequestError(cause: unknown): GraphQLRequestError {
  if (Array.isArray(cause) && cause.length > 0) {
    const errors = cause as GraphQLErrorEntry[];
    return new GraphQLRequestError(errors[0]!.message, errors[0]!.extensions?.code ?? 'INTERNAL_SERVER_ERROR', errors);
  }
  if (isAuthClose(cause)) {
    const code = (cause as { code: number }).code === 4401 ? 'UNAUTHENTICATED' : 'FORBIDDEN';
    return new GraphQLRequestError('The live connection was refused: sign in again', code);
  }
  if (cause instanceof Error) return new GraphQLRequestError(cause.message, 'NETWORK_ERROR');
  return new GraphQLRequestError('The live connection to the server was lost', 'NETWORK_ERROR');
}
