import { GraphQLError } from 'graphql';

/** The `extensions.code` values an API client can expect (see schema.graphql.ts). */
export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'TOO_MANY_REQUESTS'
  | 'BAD_REQUEST'
  | 'QUERY_TOO_COMPLEX'
  | 'INTERNAL_SERVER_ERROR';

/** An expected failure, returned to the client with its code and message (never a stack). */
export function apiError(code: ApiErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

// Weir's own error classes, recognised by name (copies from another module instance match too).
const CODE_BY_ERROR_NAME: Readonly<Record<string, ApiErrorCode>> = {
  SelectionError: 'BAD_USER_INPUT',
  EmptySelectionError: 'BAD_USER_INPUT',
  AssetDefinitionError: 'BAD_USER_INPUT',
  ConfigError: 'BAD_USER_INPUT',
  PartitionError: 'BAD_USER_INPUT',
  RunConfigError: 'BAD_USER_INPUT',
  ReexecutionError: 'CONFLICT',
  BackfillRetryError: 'CONFLICT',
  CancellationError: 'CONFLICT',
  AuthError: 'UNAUTHENTICATED',
  ForbiddenRoleError: 'FORBIDDEN',
  RateLimitedError: 'RATE_LIMITED',
  TokenNotFoundError: 'NOT_FOUND',
};

/** The code for an error thrown by Weir's services, or undefined for an unexpected one. */
export function codeOf(error: unknown): ApiErrorCode | undefined {
  const name = (error as Error | undefined)?.name;
  return name ? CODE_BY_ERROR_NAME[name] : undefined;
}
