/**
 * The console's only way to talk to Weir: `POST /graphql` on the same origin.
 *
 * Exports:
 * - `request<T>(query, variables?)` resolves with the `data` of the response, or rejects with a
 *   {@link GraphQLRequestError} whose `code` is the first error's `extensions.code`
 *   (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, CONFLICT, RATE_LIMITED,
 *   QUERY_TOO_COMPLEX, INTERNAL_SERVER_ERROR) or `NETWORK_ERROR` when the server could not be reached.
 * - `gql` tags a query string so editors highlight it; it returns the string unchanged.
 * - `onUnauthenticated(listener)` is called on every UNAUTHENTICATED error (the router uses it to go
 *   to the sign-in page); returns an unsubscribe function.
 *
 * @example
 * const data = await request<{ run: { status: string } }>(gql`query ($id: String!) { run(id: $id) { status } }`, { id });
 */

/** One entry of the `errors` array of a GraphQL response. */
export interface GraphQLErrorEntry {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

/** A failed GraphQL request: `code` tells the UI what to do (sign in, show "not found"...). */
export class GraphQLRequestError extends Error {
  override name = 'GraphQLRequestError';
  constructor(
    message: string,
    /** `extensions.code` of the first error, `NETWORK_ERROR` or `INTERNAL_SERVER_ERROR`. */
    readonly code: string,
    /** Every error the server returned (empty for network failures). */
    readonly errors: GraphQLErrorEntry[] = [],
  ) {
    super(message);
  }
}

/** Identity tag so queries read as GraphQL in editors; `gql\`...\`` returns the plain string. */
export function gql(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((text, part, index) => text + part + (index < values.length ? String(values[index]) : ''), '');
}

type UnauthenticatedListener = () => void;
const unauthenticatedListeners = new Set<UnauthenticatedListener>();

/** Calls `listener` whenever a request fails with UNAUTHENTICATED. Returns the unsubscribe function. */
export function onUnauthenticated(listener: UnauthenticatedListener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

/** Notifies the UNAUTHENTICATED listeners (also used by the subscription helper). */
export function reportUnauthenticated(): void {
  for (const listener of unauthenticatedListeners) listener();
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: GraphQLErrorEntry[];
}

/** Runs a query or mutation and resolves with its `data`; rejects with a {@link GraphQLRequestError}. */
export async function request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      // Apollo's CSRF prevention only accepts JSON bodies; the session cookie rides along same-origin.
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ query, variables: variables ?? {} }),
    });
  } catch (cause) {
    throw new GraphQLRequestError(`Cannot reach the Weir server (${describe(cause)})`, 'NETWORK_ERROR');
  }

  const body = await readBody<T>(response);
  const errors = body?.errors ?? [];
  if (errors.length > 0) {
    const first = errors[0]!;
    const code = first.extensions?.code ?? codeForStatus(response.status);
    if (code === 'UNAUTHENTICATED') reportUnauthenticated();
    throw new GraphQLRequestError(first.message, code, errors);
  }
  if (!response.ok || body?.data == null) {
    const code = codeForStatus(response.status);
    if (code === 'UNAUTHENTICATED') reportUnauthenticated();
    throw new GraphQLRequestError(`The server answered ${response.status} ${response.statusText}`.trim(), code);
  }
  return body.data;
}

// A proxy or a crash can answer with HTML: treat an unreadable body as "no body".
async function readBody<T>(response: Response): Promise<GraphQLResponse<T> | undefined> {
  try {
    return (await response.json()) as GraphQLResponse<T>;
  } catch {
    return undefined;
  }
}

function codeForStatus(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 400) return 'BAD_USER_INPUT';
  return 'INTERNAL_SERVER_ERROR';
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
