import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type ValidationContext } from 'graphql';
import { listSizeEstimates, type GraphSize } from './list-size-estimates.js';
import { operationCost } from './query-cost.js';

/** Limits on the shape of a query, checked before anything executes. */
export interface QueryLimits {
  /** Deepest field nesting (the standard introspection query needs 13). */
  readonly maxDepth: number;
  /** Nodes any operation may return, whatever the size of the graph (see {@link nodeBudget}). */
  readonly maxCost: number;
  /** Nodes added to the budget per asset and per edge of the loaded graph. */
  readonly costPerGraphItem: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 15, maxCost: 50_000, costPerGraphItem: 30 };

/**
 * The node budget of one operation: a fixed part, plus enough for the console to read the
 * whole asset graph once with every field it shows (the graph's lists are costed at its real
 * size, so a 10,000-asset lineage page must still fit).
 */
export function nodeBudget(limits: QueryLimits, graph: GraphSize): number {
  return limits.maxCost + limits.costPerGraphItem * (graph.assets + graph.edges);
}

const NO_GRAPH: () => GraphSize = () => ({ assets: 0, edges: 0 });

/**
 * Validation rules that refuse too-deep or too-costly operations with QUERY_TOO_COMPLEX: they
 * run before any resolver, so a refused operation sends no SQL. Fragments are expanded (a
 * fragment cycle is already an error of the standard rules).
 */
export function queryLimitRules(limits: QueryLimits = DEFAULT_QUERY_LIMITS, graphSize: () => GraphSize = NO_GRAPH) {
  return [(context: ValidationContext): ASTVisitor => limitVisitor(context, limits, graphSize)];
}

function limitVisitor(context: ValidationContext, limits: QueryLimits, graphSize: () => GraphSize): ASTVisitor {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const estimate = listSizeEstimates(context.getSchema(), graphSize);
  return {
    OperationDefinition(operation) {
      const measured = operationCost(operation, context.getSchema(), fragments, estimate);
      const maxCost = nodeBudget(limits, graphSize());
      const name = operation.name?.value ?? 'anonymous operation';
      if (measured.depth > limits.maxDepth)
        context.reportError(
          new GraphQLError(`${name} is ${measured.depth} levels deep; the limit is ${limits.maxDepth}`, {
            nodes: [operation],
            extensions: { code: 'QUERY_TOO_COMPLEX', depth: measured.depth, maxDepth: limits.maxDepth },
          }),
        );
      else if (measured.cost > maxCost)
        context.reportError(
          new GraphQLError(
            `${name} costs an estimated ${measured.cost} nodes (fields times list sizes: page arguments, their defaults, every alias); the limit is ${maxCost}: ask for fewer fields, fewer aliases or smaller pages`,
            { nodes: [operation], extensions: { code: 'QUERY_TOO_COMPLEX', cost: measured.cost, maxCost } },
          ),
        );
    },
  };
}
