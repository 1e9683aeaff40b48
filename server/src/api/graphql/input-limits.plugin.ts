import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, valueFromASTUntyped, visit, type DocumentNode } from 'graphql';
import { valueProblem } from '../input-limits.js';
import { apiError } from './api-errors.js';
import type { GraphQLContext } from './graphql-context.js';

/**
 * The first string argument of the document (literal or variable, in nested input objects and
 * lists, in fragments too) that holds a NUL byte or is over its length limit, as a message.
 */
export function argumentProblem(document: DocumentNode, variables: Record<string, unknown> = {}): string | undefined {
  let found: string | undefined;
  visit(document, {
    Field(field) {
      for (const argument of field.arguments ?? []) {
        // Variables are substituted: a limit holds however the value arrives.
        const value = valueFromASTUntyped(argument.value, variables);
        const problem = valueProblem(argument.name.value, value);
        if (problem) {
          found = `${problem} (an argument of '${field.name.value}')`;
          return false;
        }
      }
      return undefined;
    },
    // Directive arguments (@include(if:)) are booleans: nothing to check.
    [Kind.DIRECTIVE]: () => false,
  });
  return found;
}

/**
 * Refuses, with BAD_USER_INPUT before anything executes, an operation whose string arguments
 * break the input limits (see input-limits.ts). Runs once variables are known.
 */
export function inputLimitsPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const problem = argumentProblem(document, request.variables ?? {});
          if (problem)
            throw new GraphQLError(problem, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
        },
      };
    },
  };
}

/**
 * The same limits for resolvers the plugin does not see: subscriptions arrive over graphql-ws,
 * outside Apollo's request pipeline.
 */
export function assertArgumentsWithinLimits(field: string, args: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(args)) {
    const problem = valueProblem(name, value);
    if (problem) throw apiError('BAD_USER_INPUT', `${problem} (an argument of '${field}')`);
  }
}
