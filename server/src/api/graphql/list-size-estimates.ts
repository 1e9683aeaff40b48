import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, isUnionType, type GraphQLSchema } from 'graphql';
import type { ListSizeEstimate } from './query-cost.js';

const PER_STEP_LIST_SIZE = 3;
// A wide table (warehouse tables have tens of columns); its lineage has an entry per column, a few
// upstream columns each.
const TABLE_COLUMNS = 50;
const UPSTREAM_COLUMNS_PER_COLUMN = 3;
// Nodes of a decision's evaluation tree: bounded by the condition's size; Dagster's eager()
// alone expands to about a dozen operands and operators.
const EVALUATION_TREE_SIZE = 20;

/** How big the loaded asset graph is: the unpaged asset lists return this many items. */
export interface GraphSize {
  readonly assets: number;
  readonly edges: number;
}

/**
 * Sizes of the unpaged lists whose length is known or bounded: the asset lists (from the
 * loaded graph, read on every call since definitions reload), a step's attempts and checks, a
 * table's columns and lineage, a decision's evaluation tree, and the introspection lists (from
 * the schema: its type count, and the average fields, arguments and values per type, rounded up).
 */
export function listSizeEstimates(schema: GraphQLSchema, graphSize: () => GraphSize): ListSizeEstimate {
  const introspection = introspectionSizes(schema);
  return (typeName, fieldName) => {
    switch (`${typeName}.${fieldName}`) {
      case 'Query.assets':
      case 'Query.freshness':
      case 'AssetGraph.nodes':
        return Math.max(1, graphSize().assets);
      case 'AssetGraph.edges':
        return Math.max(1, graphSize().edges);
      // Per step, a few: attempts are bounded by retry policies, checks by the asset's definition.
      case 'Step.attempts':
      case 'Step.checkpoints':
      case 'Step.checks':
      case 'Materialization.checks':
      case 'Asset.checks':
        return PER_STEP_LIST_SIZE;
      case 'TableMetadata.columns':
      case 'TableMetadata.columnLineage':
        return TABLE_COLUMNS;
      case 'ColumnLineage.upstream':
        return UPSTREAM_COLUMNS_PER_COLUMN;
      case 'Asset.columnLineage':
        return TABLE_COLUMNS * UPSTREAM_COLUMNS_PER_COLUMN;
      case 'AutomationDecision.evaluation':
        return EVALUATION_TREE_SIZE;
      default:
        return typeName.startsWith('__') ? introspection.get(`${typeName}.${fieldName}`) : undefined;
    }
  };
}

// Per schema: computed once, read by every validation.
const sizesBySchema = new WeakMap<GraphQLSchema, Map<string, number>>();

function introspectionSizes(schema: GraphQLSchema): Map<string, number> {
  let sizes = sizesBySchema.get(schema);
  if (!sizes) sizesBySchema.set(schema, (sizes = schemaListSizes(schema)));
  return sizes;
}

function schemaListSizes(schema: GraphQLSchema): Map<string, number> {
  const types = Object.values(schema.getTypeMap());
  const withFields = types.filter((type) => isObjectType(type) || isInterfaceType(type));
  const fields = withFields.flatMap((type) => Object.values(type.getFields()));
  const average = (total: number, count: number) => Math.max(1, Math.ceil(total / Math.max(1, count)));
  const enums = types.filter(isEnumType);
  const inputs = types.filter(isInputObjectType);
  const inputFieldCount = inputs.reduce((sum, type) => sum + Object.keys(type.getFields()).length, 0);
  const possible = types.filter((type) => isInterfaceType(type) || isUnionType(type));
  const args = average(
    fields.reduce((sum, field) => sum + field.args.length, 0),
    fields.length,
  );
  return new Map([
    ['__Schema.types', types.length],
    ['__Schema.directives', schema.getDirectives().length],
    ['__Type.fields', average(fields.length, withFields.length)],
    ['__Type.inputFields', average(inputFieldCount, inputs.length)],
    [
      '__Type.enumValues',
      average(
        enums.reduce((sum, type) => sum + type.getValues().length, 0),
        enums.length,
      ),
    ],
    ['__Type.interfaces', 1],
    // An abstract type may be implemented by any object type; this schema has none yet.
    ['__Type.possibleTypes', possible.length ? types.length : 1],
    ['__Field.args', args],
    ['__Directive.args', args],
    ['__Directive.locations', 5],
  ]);
}
