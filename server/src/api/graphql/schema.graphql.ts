import { commonTypeDefs } from './schema/common.graphql.js';
import { assetTypeDefs } from './schema/assets.graphql.js';
import { automationTreeTypeDefs } from './schema/automation-tree.graphql.js';
import { runTypeDefs } from './schema/runs.graphql.js';
import { operationsTypeDefs } from './schema/operations.graphql.js';
import { rootTypeDefs } from './schema/root.graphql.js';
import { tableTypeDefs } from './schema/tables.graphql.js';

/**
 * The GraphQL schema of Weir's API (schema-first): what the console and external tools use.
 *
 * Errors: expected failures carry `extensions.code`: UNAUTHENTICATED (no/invalid/revoked
 * token), FORBIDDEN (role too weak), NOT_FOUND, BAD_USER_INPUT (invalid selection, partition,
 * page size...), CONFLICT (e.g. run not cancellable), RATE_LIMITED, TOO_MANY_REQUESTS (too many expensive operations of one token at once),
 * BAD_REQUEST (malformed request, e.g. a persisted-query hash mismatch), QUERY_TOO_COMPLEX (depth or
 * complexity over the limits). Anything else is INTERNAL_SERVER_ERROR, without a stack trace.
 *
 * Split by domain under `schema/`; joined here, so one string builds the whole schema.
 */
export const typeDefs = [
  commonTypeDefs,
  assetTypeDefs,
  runTypeDefs,
  operationsTypeDefs,
  rootTypeDefs,
  tableTypeDefs,
  automationTreeTypeDefs,
].join('\n');
