import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { apiError } from './api-errors.js';

/** ISO-8601 timestamps: Dates and ISO strings out, validated ISO strings in. */
export const DateTimeScalar = new GraphQLScalarType({
  name: 'DateTime',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime())) throw new TypeError(`not a timestamp: ${String(value)}`);
    return date.toISOString();
  },
  parseValue(value) {
    return parseTimestamp(value);
  },
  parseLiteral(ast) {
    return parseTimestamp(ast.kind === Kind.STRING ? ast.value : undefined);
  },
});

function parseTimestamp(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(date.getTime()))
    throw apiError(
      'BAD_USER_INPUT',
      `expected an ISO-8601 timestamp such as 2026-01-31T09:00:00Z, got ${JSON.stringify(value)}`,
    );
  return date;
}

/** Any JSON value. */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => literalValue(ast, variables),
});

function literalValue(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((value) => literalValue(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, literalValue(field.value, variables)]));
    case Kind.VARIABLE:
      return variables?.[ast.name.value];
    default:
      return undefined;
  }
}
