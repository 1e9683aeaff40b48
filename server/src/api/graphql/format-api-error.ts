import { randomUUID } from 'node:crypto';
import type { GraphQLFormattedError } from 'graphql';
import { loggableError } from '../../storage/statement-logger.js';
import { truncateEchoes } from '../echo-input.js';
import { codeOf } from './api-errors.js';

/** Codes that are the client's business: returned with their message. */
const EXPECTED_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'RATE_LIMITED',
  'TOO_MANY_REQUESTS',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

// Apollo raises these persisted-query errors without a code (they would read as internal errors).
const PERSISTED_QUERY_MESSAGES: Readonly<Record<string, string>> = {
  'provided sha does not match query':
    "the persisted query's extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it: send the hex SHA-256 of the exact query text",
  'Unsupported persisted query version':
    'unsupported persisted query version: only extensions.persistedQuery.version 1 is supported',
};

/**
 * Expected failures keep their message and code (never a stack); anything else becomes an
 * opaque INTERNAL_SERVER_ERROR with an id, and the details go to the server's log (a failed
 * statement without its bound parameters). Quoted input is cut short in every message.
 */
export function formatApiError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = (error as { originalError?: unknown })?.originalError ?? error;
  const persisted = PERSISTED_QUERY_MESSAGES[formatted.message];
  const given = persisted ? 'BAD_REQUEST' : (formatted.extensions?.code as string | undefined);
  const mapped = codeOf(original);
  // Apollo relabels every validation error GRAPHQL_VALIDATION_FAILED; the query-limit rules'
  // own extensions survive and say which it was.
  const limit = formatted.extensions?.maxDepth !== undefined || formatted.extensions?.maxCost !== undefined;
  const code = limit ? 'QUERY_TOO_COMPLEX' : (mapped ?? given);
  const base = { locations: formatted.locations, path: formatted.path };
  if (code && EXPECTED_CODES.has(code)) {
    const {
      stacktrace: _stack,
      exception: _exception,
      ...extensions
    } = (formatted.extensions ?? {}) as Record<string, unknown>;
    const retryAfter = (original as { retryAfterSeconds?: number })?.retryAfterSeconds;
    const message = persisted ?? (mapped ? (original as Error).message : formatted.message);
    return {
      ...base,
      message: truncateEchoes(message),
      extensions: { ...extensions, code, ...(retryAfter ? { retryAfterSeconds: retryAfter } : {}) },
    };
  }
  const id = randomUUID().slice(0, 8);
  console.error(`weir: GraphQL request failed (error ${id}):`, loggableError(original));
  return {
    ...base,
    message: `internal error ${id}: see the server log`,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
