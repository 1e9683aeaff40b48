import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type FragmentDefinitionNode } from 'graphql';
import type { GraphQLContext } from './graphql-context.js';
import { InFlightLimiter } from './in-flight-limiter.js';
import { listSizeEstimates, type GraphSize } from './list-size-estimates.js';
import { operationCost } from './query-cost.js';

export interface ExpensiveOperationLimits {
  /** Estimated nodes from which an operation counts as expensive. */
  readonly threshold: number;
  /** Expensive operations one token may have in flight in this process. */
  readonly perToken: number;
}

export const DEFAULT_EXPENSIVE_OPERATION_LIMITS: ExpensiveOperationLimits = { threshold: 10_000, perToken: 2 };

/**
 * Lets each token run at most `perToken` expensive operations at once (cost as the query
 * limits estimate it); one more is refused with TOO_MANY_REQUESTS (HTTP 429) before it runs.
 * A single viewer's parallel heavy queries cannot take every database connection and the
 * event loop from everyone else. Cheap operations are never held back.
 */
export function expensiveOperationsPlugin(
  limits: ExpensiveOperationLimits,
  graphSize: () => GraphSize,
): ApolloServerPlugin<GraphQLContext> {
  const limiter = new InFlightLimiter(limits.perToken);
  return {
    async requestDidStart() {
      let release: (() => void) | undefined;
      return {
        async didResolveOperation({ document, operation, schema, contextValue }) {
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions)
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          const { cost } = operationCost(operation, schema, fragments, listSizeEstimates(schema, graphSize));
          if (cost < limits.threshold) return;
          const { tokenId, tokenName } = contextValue.principal;
          const acquired = limiter.tryAcquire(tokenId);
          if (!acquired)
            throw new GraphQLError(
              `token '${tokenName}' already has ${limits.perToken} expensive operations running (this one costs an estimated ${cost} nodes; ${limits.threshold} or more counts as expensive): wait for them to finish`,
              {
                extensions: {
                  code: 'TOO_MANY_REQUESTS',
                  cost,
                  threshold: limits.threshold,
                  maxInFlight: limits.perToken,
                  http: { status: 429, headers: new HeaderMap([['retry-after', '1']]) },
                },
              },
            );
          release = acquired;
        },
        async willSendResponse() {
          release?.();
        },
      };
    },
  };
}
