import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, getIntrospectionQuery, Kind, parse, type FragmentDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSizeEstimates } from '../../src/api/graphql/list-size-estimates.js';
import { operationCost } from '../../src/api/graphql/query-cost.js';
import { DEFAULT_QUERY_LIMITS, nodeBudget } from '../../src/api/graphql/query-limits.js';
import { apiTypeDefs } from '../../src/api/graphql/api-type-defs.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { countQueries } from '../support/query-counter.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';
import { FIXTURE_ASSETS } from './graphql-fixtures.js';

const CONSOLE_SRC = fileURLToPath(new URL('../../../console/src/', import.meta.url));

/** Every GraphQL document the console sends: the string exports of its `*-queries.ts` and type modules. */
async function consoleDocuments(): Promise<Array<{ name: string; query: string }>> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/(-queries|-types)\.ts$/.test(entry)) files.push(full);
    }
  };
  walk(CONSOLE_SRC);
  const documents: Array<{ name: string; query: string }> = [];
  for (const file of files) {
    const module = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const [name, value] of Object.entries(module))
      if (typeof value === 'string' && /^\s*(query|mutation|subscription)\b/.test(value))
        documents.push({ name: `${path.relative(CONSOLE_SRC, file)}: ${name}`, query: value });
  }
  return documents;
}

function costOf(query: string, graph = { assets: 10_000, edges: 15_000 }) {
  const schema = buildSchema(apiTypeDefs.join('\n'));
  const document = parse(query);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION)!;
  return operationCost(
    operation,
    schema,
    fragments,
    listSizeEstimates(schema, () => graph),
  ).cost;
}

// Only authentication may touch the database before a refused operation is answered.
const AUTH_TABLES = /api_tokens|sessions/;

describe('the console queries fit the node budget, even on a 10,000-asset graph', () => {
  it('every console document costs less than the budget', async () => {
    const documents = await consoleDocuments();
    expect(documents.length).toBeGreaterThanOrEqual(10);
    const budget = nodeBudget(DEFAULT_QUERY_LIMITS, { assets: 10_000, edges: 15_000 });
    const costs = documents.map(({ name, query }) => ({ name, cost: costOf(query) }));
    console.log(costs.map(({ name, cost }) => `${cost}\t${name}`).join('\n'));
    for (const { name, cost } of costs) expect(cost, name).toBeLessThanOrEqual(budget);
  });

  it('page arguments multiply: 1,000 aliases of runs(first: 100) cost over 100,000', () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `r${i}: runs(first: 100) { nodes { id } }`).join(' ');
    expect(costOf(`{ ${aliases} }`)).toBeGreaterThan(100_000);
    // runs + nodes + (page size × fields). Without `first`, the schema's default (20) counts;
    // through a fragment just the same.
    expect(costOf(`{ runs { nodes { id } } }`)).toBe(1 + 1 + 20 * 1);
    expect(costOf(`query { ...R } fragment R on Query { runs(first: 50) { nodes { id status } } }`)).toBe(
      1 + 1 + 50 * 2,
    );
    // A variable counts as the largest page the field accepts, unless it has a default.
    expect(costOf(`query($n: Int) { runs(first: $n) { nodes { id } } }`)).toBe(1 + 1 + 100);
    expect(costOf(`query($n: Int = 5) { runs(first: $n) { nodes { id } } }`)).toBe(1 + 1 + 5);
    expect(costOf(`{ runs(first: 10) { nodes { events(first: 1000) { id } } } }`)).toBe(1 + 1 + 10 * (1 + 1000));
  });
});

describe.each(STORAGE_BACKENDS)('cost limits on a real server (%s)', (backend) => {
  let h: GraphQLHarness;
  beforeAll(async () => {
    h = await startGraphQL(backend, FIXTURE_ASSETS);
    for (let i = 0; i < 30; i++) {
      const run = await h.engine.engine.requestRun({ selection: 'core/quick', trigger: 'manual' });
      await h.engine.engine.waitForRun(run.id);
    }
    await h.gql(`{ viewer { role } }`, {}, h.tokens.viewer); // the token's first use records last_used_at
  }, 120_000);
  afterAll(() => h?.close());

  const refusedBeforeSql = async (query: string) => {
    let response!: Awaited<ReturnType<GraphQLHarness['gql']>>;
    const counted = await countQueries(h.engine.database.dataSource, async () => {
      response = await h.gql(query, {}, h.tokens.viewer);
    });
    expect(response.status).toBe(400);
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(counted.queries.filter((sql) => !AUTH_TABLES.test(sql))).toEqual([]);
    return response;
  };

  it('1,000 aliases of runs(first: 100) are refused with QUERY_TOO_COMPLEX before any SQL runs', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `r${i}: runs(first: 100) { nodes { id } }`).join(' ');
    const response = await refusedBeforeSql(`{ ${aliases} }`);
    expect(response.errors?.[0]?.message).toMatch(/costs an estimated \d+ nodes .* the limit is \d+/);
    expect(response.errors?.[0]?.extensions?.cost).toBeGreaterThan(100_000);
  });

  it('an introspection bomb (1,000 aliased __schema) is refused before any SQL runs', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `s${i}: __schema { types { name } }`).join(' ');
    await refusedBeforeSql(`{ ${aliases} }`);
    const types = Array.from({ length: 1000 }, (_, i) => `t${i}: __type(name: "Run") { name }`).join(' ');
    await refusedBeforeSql(`{ ${types} }`);
  });

  it('the standard introspection query and the console documents still run', async () => {
    const introspection = await h.gql(getIntrospectionQuery(), {}, h.tokens.viewer);
    expect(introspection.errors).toBeUndefined();
    for (const { name, query } of await consoleDocuments()) {
      if (/^\s*subscription\b/.test(query)) continue;
      const response = await h.gql(query, {}, h.tokens.viewer);
      // Required variables are missing: that error is fine, a cost refusal is not.
      expect(response.errors?.[0]?.extensions?.code, name).not.toBe('QUERY_TOO_COMPLEX');
    }
  });

  // PGlite answers every statement on the main thread before the next request is even read, so
  // embedded operations never overlap and the cap has nothing to refuse there (in-flight-limiter.test.ts).
  it.runIf(backend === 'postgres')(
    'a token gets at most 2 expensive operations at once; /healthz keeps answering meanwhile',
    async () => {
      // About 33,000 estimated nodes: over the 10,000 threshold, under the budget. Events are read
      // per run, so each operation takes many turns at the database (PGlite's one connection too).
      const heavy = `{ runs(first: 100) { nodes { id status events(first: 100) { id } steps { id status attempts { id number } } } } }`;
      let healthAnswered = 0;
      let bursting = true;
      const probe = (async () => {
        while (bursting) {
          const response = await fetch(`${h.url}/healthz`);
          if (response.status === 200) healthAnswered += 1;
        }
      })();
      const codes: Array<string | undefined> = [];
      for (let round = 0; round < 5 && !codes.includes('TOO_MANY_REQUESTS'); round++) {
        const responses = await Promise.all(Array.from({ length: 16 }, () => h.gql(heavy, {}, h.tokens.viewer)));
        for (const response of responses) {
          const code = response.errors?.[0]?.extensions?.code;
          codes.push(code);
          if (code === 'TOO_MANY_REQUESTS') {
            expect(response.status).toBe(429);
            expect(response.errors?.[0]?.message).toMatch(/already has 2 expensive operations running/);
          } else {
            expect(response.errors).toBeUndefined();
            expect((response.data as { runs: { nodes: unknown[] } }).runs.nodes).toHaveLength(30);
          }
        }
      }
      bursting = false;
      await probe;
      expect(codes).toContain('TOO_MANY_REQUESTS');
      expect(codes).toContain(undefined);
      expect(healthAnswered).toBeGreaterThan(0);
      // Cheap operations of the same token are never held back, and the slots were given back.
      const cheap = await h.gql(`{ viewer { role } }`, {}, h.tokens.viewer);
      expect(cheap.errors).toBeUndefined();
      const again = await h.gql(heavy, {}, h.tokens.viewer);
      expect(again.errors).toBeUndefined();
    },
    120_000,
  );
});
