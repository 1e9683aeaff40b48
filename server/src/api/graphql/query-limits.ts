import { MAX_PAGE_SIZE } from './pagination.js';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type ArgumentNode,
  type GraphQLNamedType,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/** Limits on the shape of a query, checked before anything executes. */
export interface QueryLimits {
  /** Deepest field nesting (the standard introspection query needs 13). */
  readonly maxDepth: number;
  /** Highest estimated cost: every field costs 1 times the sizes of the lists around it. */
  readonly maxCost: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 15, maxCost: 50_000 };

// A list field without a `first` argument is assumed to hold this many items: enough to make
// nested unpaged lists expensive, small enough for a 10k-asset graph's flat node list.
const UNPAGED_LIST_SIZE = 10;

/**
 * Validation rules that refuse too-deep or too-costly operations with QUERY_TOO_COMPLEX.
 * Fragments are expanded (a fragment cycle is already an error of the standard rules).
 */
export function queryLimitRules(limits: QueryLimits = DEFAULT_QUERY_LIMITS) {
  return [(context: ValidationContext): ASTVisitor => limitVisitor(context, limits)];
}

function limitVisitor(context: ValidationContext, limits: QueryLimits): ASTVisitor {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  return {
    OperationDefinition(operation) {
      const root =
        operation.operation === 'query'
          ? context.getSchema().getQueryType()
          : operation.operation === 'mutation'
            ? context.getSchema().getMutationType()
            : context.getSchema().getSubscriptionType();
      const measured = measure(operation.selectionSet, root ?? undefined, context, fragments, 0, new Set());
      const name = operation.name?.value ?? 'anonymous operation';
      if (measured.depth > limits.maxDepth)
        context.reportError(
          new GraphQLError(`${name} is ${measured.depth} levels deep; the limit is ${limits.maxDepth}`, {
            nodes: [operation],
            extensions: { code: 'QUERY_TOO_COMPLEX', depth: measured.depth, maxDepth: limits.maxDepth },
          }),
        );
      else if (measured.cost > limits.maxCost)
        context.reportError(
          new GraphQLError(
            `${name} costs an estimated ${measured.cost} (fields times list sizes); the limit is ${limits.maxCost}: ask for fewer fields or smaller pages`,
            {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_COMPLEX', cost: measured.cost, maxCost: limits.maxCost },
            },
          ),
        );
    },
  };
}

interface Measured {
  readonly depth: number;
  readonly cost: number;
}

function measure(
  selectionSet: SelectionSetNode,
  parentType: GraphQLNamedType | undefined,
  context: ValidationContext,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  depth: number,
  visiting: ReadonlySet<string>,
): Measured {
  let deepest = depth;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const field =
        isObjectType(parentType) || isInterfaceType(parentType)
          ? parentType.getFields()[selection.name.value]
          : undefined;
      if (!selection.selectionSet) {
        cost += 1;
        deepest = Math.max(deepest, depth + 1);
        continue;
      }
      const inner = measure(
        selection.selectionSet,
        field ? getNamedType(field.type) : undefined,
        context,
        fragments,
        depth + 1,
        visiting,
      );
      const size = field && isListType(getNullableType(field.type)) ? listSize(selection.arguments ?? []) : 1;
      cost += 1 + size * inner.cost;
      deepest = Math.max(deepest, inner.depth);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition
        ? context.getSchema().getType(selection.typeCondition.name.value)
        : parentType;
      const inner = measure(selection.selectionSet, type ?? undefined, context, fragments, depth, visiting);
      cost += inner.cost;
      deepest = Math.max(deepest, inner.depth);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || visiting.has(name)) continue; // unknown or cyclic: the standard rules report it
      const type = context.getSchema().getType(fragment.typeCondition.name.value);
      const inner = measure(
        fragment.selectionSet,
        type ?? undefined,
        context,
        fragments,
        depth,
        new Set([...visiting, name]),
      );
      cost += inner.cost;
      deepest = Math.max(deepest, inner.depth);
    }
  }
  return { depth: deepest, cost };
}

/** `first: N` when given as a literal, the page cap when it is a variable, else the assumed size. */
function listSize(args: readonly ArgumentNode[]): number {
  const first = args.find((arg) => arg.name.value === 'first');
  if (!first) return UNPAGED_LIST_SIZE;
  if (first.value.kind === Kind.INT) return Math.max(1, Number(first.value.value));
  return MAX_PAGE_SIZE;
}
