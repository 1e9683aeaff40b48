import {
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { MAX_PAGE_SIZE, PAGE_MAXIMA } from './pagination.js';

/** How many items a list field is assumed to return when no argument says so. */
export type ListSizeEstimate = (typeName: string, fieldName: string) => number | undefined;

/** The estimated size of an operation: nodes it can return and how deep it nests. */
export interface QueryCost {
  readonly cost: number;
  readonly depth: number;
}

// An unpaged list the estimators know nothing about (steps of a run, tags, deps...).
const UNPAGED_LIST_SIZE = 10;
// Arguments that bound the size of the list a field returns (a connection's `nodes` included).
const SIZE_ARGUMENTS = ['first', 'last', 'limit'];
// Lists whose size argument bounds their items' lists instead (points per metadata series).
const ARGUMENT_SIZES_ITEMS = new Set(['Asset.metadataSeries']);
// Answering an introspection root walks the whole schema: each costs this much on top of what it selects.
export const INTROSPECTION_ROOT_COST = 100;

/**
 * Estimates what an operation returns: every field costs 1, times the sizes of the lists around
 * it. A list's size is its `first`/`last`/`limit` argument (a literal; a variable counts as its
 * default or the field's maximum page; absent, the schema's default), or the estimate for that
 * field (the asset graph's real size, the schema's size for introspection), else 10. A
 * connection's size applies to its `nodes`. Aliases count once each; fragments are expanded.
 */
export function operationCost(
  operation: OperationDefinitionNode,
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  estimate: ListSizeEstimate,
): QueryCost {
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  const defaults = new Map<string, ValueNode>();
  for (const variable of operation.variableDefinitions ?? [])
    if (variable.defaultValue) defaults.set(variable.variable.name.value, variable.defaultValue);
  const walker = new CostWalker(schema, fragments, estimate, defaults);
  return walker.measure(operation.selectionSet, root ?? undefined, 0, new Set(), undefined);
}

class CostWalker {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly estimate: ListSizeEstimate,
    private readonly variableDefaults: ReadonlyMap<string, ValueNode>,
  ) {}

  /** `connectionSize`: the size a parent connection's argument gave its lists (`nodes`). */
  measure(
    selectionSet: SelectionSetNode,
    parentType: GraphQLNamedType | undefined,
    depth: number,
    visiting: ReadonlySet<string>,
    connectionSize: number | undefined,
  ): QueryCost {
    let deepest = depth;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      let inner: QueryCost;
      if (selection.kind === Kind.FIELD) {
        inner = this.field(selection, parentType, depth, visiting, connectionSize);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : parentType;
        inner = this.measure(selection.selectionSet, type ?? undefined, depth, visiting, connectionSize);
      } else {
        const name = selection.name.value;
        const fragment = this.fragments.get(name);
        if (!fragment || visiting.has(name)) continue; // unknown or cyclic: the standard rules report it
        const type = this.schema.getType(fragment.typeCondition.name.value);
        const next = new Set([...visiting, name]);
        inner = this.measure(fragment.selectionSet, type ?? undefined, depth, next, connectionSize);
      }
      cost += inner.cost;
      deepest = Math.max(deepest, inner.depth);
    }
    return { depth: deepest, cost };
  }

  private field(
    selection: FieldNode,
    parentType: GraphQLNamedType | undefined,
    depth: number,
    visiting: ReadonlySet<string>,
    connectionSize: number | undefined,
  ): QueryCost {
    const name = selection.name.value;
    const field = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[name] : undefined;
    const surcharge = name === '__schema' || name === '__type' ? INTROSPECTION_ROOT_COST : 0;
    if (!selection.selectionSet) return { cost: 1 + surcharge, depth: depth + 1 };
    const argued = field ? this.sizeArgument(selection, field, parentType!.name) : undefined;
    const isList = field !== undefined && isListType(getNullableType(field.type));
    // A connection (a non-list field with a size argument) passes its size to its lists.
    const sizesItems = !isList || ARGUMENT_SIZES_ITEMS.has(`${parentType?.name}.${name}`);
    const inner = this.measure(
      selection.selectionSet,
      field ? getNamedType(field.type) : undefined,
      depth + 1,
      visiting,
      sizesItems ? argued : undefined,
    );
    const own = sizesItems ? undefined : argued;
    const size = isList ? (own ?? connectionSize ?? this.estimated(parentType, name)) : 1;
    return { cost: 1 + surcharge + size * inner.cost, depth: inner.depth };
  }

  private estimated(parentType: GraphQLNamedType | undefined, fieldName: string): number {
    return (parentType && this.estimate(parentType.name, fieldName)) ?? UNPAGED_LIST_SIZE;
  }

  /** The list size a field's `first`/`last`/`limit` argument asks for, given or defaulted. */
  private sizeArgument(
    selection: FieldNode,
    field: GraphQLField<unknown, unknown>,
    typeName: string,
  ): number | undefined {
    for (const argumentName of SIZE_ARGUMENTS) {
      const definition = field.args.find((arg) => arg.name === argumentName);
      if (!definition) continue;
      const maximum = PAGE_MAXIMA[`${typeName}.${field.name}`] ?? MAX_PAGE_SIZE;
      const given = selection.arguments?.find((arg) => arg.name.value === argumentName)?.value;
      let value: unknown = given ? this.literal(given) : definition.defaultValue;
      // A variable without a default may be anything up to the maximum the resolver accepts.
      if (value === undefined || value === null) value = given ? maximum : definition.defaultValue;
      if (typeof value === 'number' && Number.isFinite(value)) return Math.max(1, Math.min(value, maximum));
      return maximum;
    }
    return undefined;
  }

  private literal(node: ValueNode): unknown {
    if (node.kind === Kind.VARIABLE) {
      const fallback = this.variableDefaults.get(node.name.value);
      return fallback ? valueFromASTUntyped(fallback) : undefined;
    }
    return valueFromASTUntyped(node);
  }
}
