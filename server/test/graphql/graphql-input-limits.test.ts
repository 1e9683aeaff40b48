import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTypeDefs } from '../../src/api/graphql/api-type-defs.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';
import { FIXTURE_ASSETS } from './graphql-fixtures.js';

const schema = buildSchema(apiTypeDefs.join('\n'));

/** A minimal valid value of a type (what a required argument that is not under test gets). */
function minimal(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return minimal(type.ofType);
  if (isListType(type)) return [minimal(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type))
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, minimal(field.type)]),
    );
  if (isScalarType(type)) {
    if (type.name === 'Int' || type.name === 'Float') return 1;
    if (type.name === 'Boolean') return true;
    if (type.name === 'JSON') return {};
    if (type.name === 'DateTime') return '2025-01-01T00:00:00.000Z';
    return 'x';
  }
  throw new Error(`no minimal value for ${String(type)}`);
}

/**
 * Every place a string can go in an argument: [the argument's value with `bad` at that place,
 * a name for the place]. Lists get the string as an item, input objects in each field, JSON
 * scalars as a value inside an object.
 */
function stringSlots(type: GraphQLInputType, bad: string, path: string): Array<[unknown, string]> {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return stringSlots(inner.ofType, bad, `${path}[0]`).map(([value, where]) => [[value], where]);
  if (isInputObjectType(inner)) {
    const base = minimal(inner) as Record<string, unknown>;
    return Object.values(inner.getFields()).flatMap((field) =>
      stringSlots(field.type, bad, `${path}.${field.name}`).map(
        ([value, where]) => [{ ...base, [field.name]: value }, where] as [unknown, string],
      ),
    );
  }
  if (isScalarType(inner) && (inner.name === 'String' || inner.name === 'ID')) return [[bad, path]];
  if (isScalarType(inner) && inner.name === 'JSON') return [[{ note: bad }, `${path}.note`]];
  return [];
}

interface Case {
  readonly where: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

/** One request per string slot of every argument of every query and mutation field. */
function casesFor(bad: string): Case[] {
  const cases: Case[] = [];
  for (const [operation, root] of [
    ['query', schema.getQueryType()!],
    ['mutation', schema.getMutationType()!],
  ] as const) {
    for (const field of Object.values(root.getFields())) {
      const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
      const declare = (arg: GraphQLArgument) => `$${arg.name}: ${String(arg.type)}`;
      const header = field.args.length ? `(${field.args.map(declare).join(', ')})` : '';
      const call = field.args.length ? `(${field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ')})` : '';
      const query = `${operation}${header} { ${field.name}${call}${selection} }`;
      for (const arg of field.args) {
        for (const [value, where] of stringSlots(arg.type, bad, `${field.name}(${arg.name})`)) {
          const variables = Object.fromEntries(
            field.args.filter((other) => isNonNullType(other.type)).map((other) => [other.name, minimal(other.type)]),
          );
          cases.push({ where, query, variables: { ...variables, [arg.name]: value } });
        }
      }
    }
  }
  return cases;
}

describe.each(STORAGE_BACKENDS)('NUL bytes and over-long strings are refused (%s)', (backend) => {
  let h: GraphQLHarness;
  let before: number;
  beforeAll(async () => {
    h = await startGraphQL(backend, FIXTURE_ASSETS);
    before = await h.engine.count('event_log');
  }, 60_000);
  afterAll(async () => {
    // Every call was refused: nothing was written.
    if (h) expect(await h.engine.count('event_log')).toBe(before);
    await h?.close();
  });

  it.each([
    ['a NUL byte', 'a\u0000b', /NUL byte/],
    ['a 100 kB string', 'k'.repeat(100_000), /is 100000 characters long; the limit is \d+/],
  ])('%s in every string argument of every query and mutation gets BAD_USER_INPUT', async (_, bad, message) => {
    const cases = casesFor(bad);
    // Every field with a string argument is covered (asset, run, runs' filter, materialize, ...).
    expect(cases.length).toBeGreaterThan(30);
    const codes = new Map<string, string | undefined>();
    for (const { where, query, variables } of cases) {
      const response = await h.gql(query, variables, h.tokens.admin);
      codes.set(where, response.errors?.[0]?.extensions?.code);
      if (response.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT')
        expect(response.errors[0]!.message, where).toMatch(message);
      // The message never repeats the 100 kB value.
      expect(JSON.stringify(response).length, where).toBeLessThan(2_000);
    }
    const wrong = [...codes].filter(([, code]) => code !== 'BAD_USER_INPUT');
    expect(wrong).toEqual([]);
  });

  it('literal arguments are checked too, nested and in lists', async () => {
    const nested = await h.gql(`{ runs(filter: { asset: "a\\u0000b" }) { nodes { id } } }`, {}, h.tokens.viewer);
    expect(nested.status).toBe(400);
    expect(nested.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(nested.errors?.[0]?.message).toMatch(/filter.asset contains a NUL byte .*an argument of 'runs'/);
    const listed = await h.gql(
      `mutation { addDynamicPartitions(set: "regions", keys: ["eu", "${'p'.repeat(600)}"]) }`,
      {},
      h.tokens.operator,
    );
    expect(listed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(listed.errors?.[0]?.message).toMatch(/keys\[1\] is 600 characters long; the limit is 512/);
  });

  it('REST routes taking strings answer 400, naming the parameter', async () => {
    const headers = { authorization: `Bearer ${h.tokens.operator}`, 'content-type': 'application/json' };
    const run = await fetch(`${h.url}/api/runs/a%00b`, { headers });
    expect(run.status).toBe(400);
    expect(((await run.json()) as { message: string }).message).toMatch(/id contains a NUL byte/);
    const key = await fetch(`${h.url}/api/assets/${'k'.repeat(100_000)}/decisions`, { headers });
    expect([400, 414, 431]).toContain(key.status);
    const longKey = await fetch(`${h.url}/api/assets/${'k'.repeat(600)}/decisions`, { headers });
    expect(longKey.status).toBe(400);
    expect(((await longKey.json()) as { message: string }).message).toMatch(/key is 600 characters long/);
    const body = await fetch(`${h.url}/api/runs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ selection: 'core/quick\u0000' }),
    });
    expect(body.status).toBe(400);
    expect(((await body.json()) as { message: string }).message).toMatch(/selection contains a NUL byte/);
  });
});
