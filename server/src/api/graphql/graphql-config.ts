import type { IncomingMessage } from 'node:http';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { ApolloDriver } from '@nestjs/apollo';
import { GraphQLError } from 'graphql';
import type { Principal } from '../../auth/principal.js';
import { RateLimiter } from '../../auth/rate-limiter.js';
import { codeOf } from './api-errors.js';
import {
  automationDecisionResolvers,
  decisionAssetResolvers,
  evaluationNodeResolvers,
} from './resolvers/decision-resolvers.js';
import { enumResolvers } from './enum-values.js';
import type { ApiServices, GraphQLContext } from './graphql-context.js';
import type { AssetGraph } from '../../graph/asset-graph.js';
import {
  DEFAULT_EXPENSIVE_OPERATION_LIMITS,
  expensiveOperationsPlugin,
  type ExpensiveOperationLimits,
} from './expensive-operations.plugin.js';
import { formatApiError } from './format-api-error.js';
import { inputLimitsPlugin } from './input-limits.plugin.js';
import type { GraphSize } from './list-size-estimates.js';
import { DEFAULT_QUERY_LIMITS, queryLimitRules, type QueryLimits } from './query-limits.js';
import { createRequestLoaders } from './request-loaders.js';
import { assetFieldResolvers, assetQueryResolvers } from './resolvers/asset-resolvers.js';
import { backfillFieldResolvers, miscQueryResolvers } from './resolvers/misc-query-resolvers.js';
import { mutationResolvers } from './resolvers/mutation-resolvers.js';
import { runConfigQueryResolvers } from './resolvers/run-config-resolvers.js';
import {
  checkpointFieldResolvers,
  materializationFieldResolvers,
  outputFieldResolvers,
  runEventFieldResolvers,
  runFieldResolvers,
  runQueryResolvers,
  stepFieldResolvers,
} from './resolvers/run-resolvers.js';
import { subscriptionResolvers } from './resolvers/subscription-resolvers.js';
import { tableAssetFieldResolvers, tableMaterializationFieldResolvers } from './resolvers/table-resolvers.js';
import { DateTimeScalar, JsonScalar } from './scalars.js';
import { typeDefs } from './schema.graphql.js';

const HTTP_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, RATE_LIMITED: 429 };

/** The request's headers and client address, however it arrived. */
function requestOf(message: IncomingMessage & { ip?: string }) {
  return {
    headers: message.headers as Record<string, string | string[] | undefined>,
    ip: message.ip ?? message.socket?.remoteAddress ?? 'unknown',
  };
}

/** Turns an auth failure into a GraphQLError Apollo returns with the right HTTP status. */
function authFailure(error: unknown): GraphQLError {
  const code = codeOf(error);
  if (!code) return error instanceof GraphQLError ? error : new GraphQLError('authentication failed');
  return new GraphQLError((error as Error).message, {
    extensions: {
      code,
      http: { status: HTTP_STATUS[code] ?? 401 },
      ...((error as { retryAfterSeconds?: number }).retryAfterSeconds
        ? { retryAfterSeconds: (error as { retryAfterSeconds?: number }).retryAfterSeconds }
        : {}),
    },
  });
}

// Edges are counted once per loaded graph (definitions reload as a new graph).
const graphSizes = new WeakMap<AssetGraph, GraphSize>();
function graphSizeOf(graph: AssetGraph): GraphSize {
  let size = graphSizes.get(graph);
  if (!size) {
    const edges = graph.keys.reduce((sum, key) => sum + graph.upstreamOf(key).length, 0);
    graphSizes.set(graph, (size = { assets: graph.size, edges }));
  }
  return size;
}

export interface GraphQLApiOptions {
  readonly limits?: QueryLimits;
  /** Expensive operations (by estimated cost) one token may run at once. */
  readonly expensiveOperations?: ExpensiveOperationLimits;
  /** Operations one token may run per minute in this process (default 1,200). */
  readonly requestsPerMinute?: number;
}

/** The Apollo configuration of Weir's API: schema, resolvers, auth context, limits, subscriptions. */
export function graphqlConfig(services: ApiServices, options: GraphQLApiOptions = {}): ApolloDriverConfig {
  const { engine } = services;
  const graphSize = () => graphSizeOf(engine.graph);
  // Per token, not per address: a script that loops on the API slows only itself down.
  const requests = new RateLimiter({ limit: options.requestsPerMinute ?? 1_200, windowMs: 60_000 });
  const contextFor = (principal: Principal): GraphQLContext => {
    const decision = requests.check(principal.tokenId);
    if (!decision.allowed) {
      const retryAfterSeconds = Math.ceil(decision.retryAfterMs / 1000);
      throw new GraphQLError(
        `token '${principal.tokenName}' sent more than ${options.requestsPerMinute ?? 1_200} operations in a minute; retry in ${retryAfterSeconds}s`,
        { extensions: { code: 'RATE_LIMITED', retryAfterSeconds, http: { status: 429 } } },
      );
    }
    requests.recordFailure(principal.tokenId); // counts the operation (the limiter counts events)
    return {
      principal,
      services,
      loaders: createRequestLoaders(engine.dataSource.manager, engine.graph, () => engine.clock.now()),
    };
  };
  const authenticate = async (message: IncomingMessage, connectionParams?: Record<string, unknown>) => {
    const request = requestOf(message);
    const bearer = connectionParams?.authorization;
    const headers = typeof bearer === 'string' ? { ...request.headers, authorization: bearer } : request.headers;
    try {
      return await services.auth.authenticate({ headers, ip: request.ip });
    } catch (error) {
      throw authFailure(error);
    }
  };
  return {
    driver: ApolloDriver,
    typeDefs,
    resolvers: {
      DateTime: DateTimeScalar,
      JSON: JsonScalar,
      ...enumResolvers,
      Query: { ...assetQueryResolvers, ...runQueryResolvers, ...miscQueryResolvers, ...runConfigQueryResolvers },
      Mutation: mutationResolvers,
      Subscription: subscriptionResolvers,
      Asset: { ...assetFieldResolvers, ...tableAssetFieldResolvers, ...decisionAssetResolvers },
      Run: runFieldResolvers,
      Step: stepFieldResolvers,
      Materialization: { ...materializationFieldResolvers, ...tableMaterializationFieldResolvers },
      RunEvent: runEventFieldResolvers,
      Output: outputFieldResolvers,
      Checkpoint: checkpointFieldResolvers,
      Backfill: backfillFieldResolvers,
      AutomationDecision: automationDecisionResolvers,
      EvaluationNode: evaluationNodeResolvers,
    },
    path: '/graphql',
    graphiql: false,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    validationRules: queryLimitRules(options.limits ?? DEFAULT_QUERY_LIMITS, graphSize),
    plugins: [
      inputLimitsPlugin(),
      expensiveOperationsPlugin(options.expensiveOperations ?? DEFAULT_EXPENSIVE_OPERATION_LIMITS, graphSize),
    ],
    formatError: formatApiError,
    context: async ({ req }: { req: IncomingMessage }) => contextFor(await authenticate(req)),
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        // Authenticate once per connection: the upgrade request's cookie or an
        // `authorization` connection parameter ("Bearer weir_…").
        onConnect: async (ctx: {
          extra: { request: IncomingMessage; principal?: Principal };
          connectionParams?: Record<string, unknown>;
        }) => {
          try {
            ctx.extra.principal = await authenticate(ctx.extra.request, ctx.connectionParams);
            return true;
          } catch {
            return false;
          }
        },
        context: (ctx: { extra: { principal?: Principal } }) => contextFor(ctx.extra.principal!),
      },
    } as ApolloDriverConfig['subscriptions'],
  };
}
