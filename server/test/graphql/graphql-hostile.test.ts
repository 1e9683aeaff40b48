import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';
import { FIXTURE_ASSETS } from './graphql-fixtures.js';

const TABLES = ['runs', 'steps', 'backfills', 'observations', 'dynamic_partitions', 'api_tokens', 'event_log'];

async function tableCounts(h: GraphQLHarness): Promise<Record<string, number>> {
  return Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await h.engine.count(table)])));
}

function nestedOfType(levels: number): string {
  let inner = 'name';
  for (let i = 0; i < levels; i++) inner = `ofType { ${inner} }`;
  return inner;
}

describe('hostile inputs are refused cleanly and write nothing (postgres)', () => {
  let h: GraphQLHarness;
  let before: Record<string, number>;
  beforeAll(async () => {
    h = await startGraphQL('postgres', FIXTURE_ASSETS);
    before = await tableCounts(h);
  }, 60_000);
  afterAll(async () => {
    // Every call below was refused: not one row was added anywhere.
    if (h) expect(await tableCounts(h)).toEqual(before);
    await h?.close();
  });

  const expectRefused = (response: Awaited<ReturnType<GraphQLHarness['gql']>>, code: string, message: RegExp) => {
    expect(response.data ?? null).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe(code);
    expect(response.errors?.[0]?.message).toMatch(message);
    // No stack trace, no internals.
    expect(JSON.stringify(response.errors)).not.toMatch(/stacktrace|at .*\.js:\d+/);
  };

  it('a depth bomb (nested introspection) is refused before it runs', async () => {
    const response = await h.gql(
      `{ __schema { types { fields { type { ${nestedOfType(40)} } } } } }`,
      {},
      h.tokens.admin,
    );
    expect(response.status).toBe(400);
    expectRefused(response, 'QUERY_TOO_COMPLEX', /levels deep; the limit is 15/);
  });

  it('a cost bomb (nested big pages, aliases) is refused before it runs', async () => {
    const fields = Array.from({ length: 20 }, (_, i) => `a${i}: events(first: 1000) { id message }`).join(' ');
    const response = await h.gql(`{ runs(first: 100) { nodes { ${fields} } } }`, {}, h.tokens.viewer);
    expect(response.status).toBe(400);
    expectRefused(response, 'QUERY_TOO_COMPLEX', /costs an estimated \d+ nodes .* the limit is \d+/);
  });

  it('the standard introspection query still passes the limits', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const response = await h.gql(getIntrospectionQuery(), {}, h.tokens.viewer);
    expect(response.errors).toBeUndefined();
    expect((response.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(30);
  });

  it('an oversized page is refused, not truncated', async () => {
    const response = await h.gql(`{ runs(first: 5000) { nodes { id } } }`, {}, h.tokens.viewer);
    expectRefused(response, 'BAD_USER_INPUT', /first must be an integer from 1 to 100 \(got 5000\)/);
    const history = await h.gql(
      `{ asset(key: "core/quick") { materializations(first: 0) { nodes { id } } } }`,
      {},
      h.tokens.viewer,
    );
    expect(history.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a forged pagination cursor is refused', async () => {
    const response = await h.gql(`{ runs(first: 5, after: "not-a-cursor") { nodes { id } } }`, {}, h.tokens.viewer);
    expectRefused(response, 'BAD_USER_INPUT', /'after' is not a cursor returned by this API/);
  });

  it('malformed and unknown selections name the culprit', async () => {
    const malformed = await h.gql(
      `mutation { materialize(selection: "core/quick, ++(") { id } }`,
      {},
      h.tokens.operator,
    );
    expectRefused(malformed, 'BAD_USER_INPUT', /\+\+\(/);
    const unknown = await h.gql(`mutation { materialize(selection: "core/quik") { id } }`, {}, h.tokens.operator);
    expectRefused(unknown, 'BAD_USER_INPUT', /core\/quik.*did you mean 'core\/quick'/);
    const empty = await h.gql(`mutation { materialize(selection: "   ") { id } }`, {}, h.tokens.operator);
    expectRefused(empty, 'BAD_USER_INPUT', /selection is empty/);
    const huge = await h.gql(
      `mutation($s: String!) { materialize(selection: $s) { id } }`,
      { s: 'a,'.repeat(5_000) },
      h.tokens.operator,
    );
    expectRefused(huge, 'BAD_USER_INPUT', /the limit is 2000/);
  });

  it('an unknown enum value or a wrong type is a validation error', async () => {
    const enumValue = await h.gql(`{ runs(filter: { status: [EXPLODED] }) { nodes { id } } }`, {}, h.tokens.viewer);
    expect(enumValue.status).toBe(400);
    expectRefused(enumValue, 'GRAPHQL_VALIDATION_FAILED', /EXPLODED/);
    const variable = await h.gql(
      `mutation($mode: ReexecutionMode!) { reexecuteRun(runId: "00000000", mode: $mode) { id } }`,
      { mode: 'EVERYTHING' },
      h.tokens.operator,
    );
    expect(variable.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(variable.errors?.[0]?.message).toMatch(/EVERYTHING/);
  });

  it('other bad mutation inputs are typed errors', async () => {
    const run = await h.gql(`mutation { cancelRun(runId: "ffffffff") { id } }`, {}, h.tokens.operator);
    expectRefused(run, 'NOT_FOUND', /no run matches 'ffffffff'/);
    const partitions = await h.gql(
      `mutation { materialize(selection: "core/days", partitions: ["2025-01-01"], partitionRange: { from: "2025-01-01", to: "2025-01-02" }) { id } }`,
      {},
      h.tokens.operator,
    );
    expectRefused(partitions, 'BAD_USER_INPUT', /not both/);
    const badPartition = await h.gql(
      `mutation { materialize(selection: "core/days", partitions: ["yesterday"]) { id } }`,
      {},
      h.tokens.operator,
    );
    expectRefused(badPartition, 'BAD_USER_INPUT', /yesterday/);
    const metadata = await h.gql(
      `mutation { reportAssetEvent(assetKey: "vendor/feed", metadata: [1, 2]) { id } }`,
      {},
      h.tokens.operator,
    );
    expectRefused(metadata, 'BAD_USER_INPUT', /'metadata' must be a JSON object/);
    const token = await h.gql(`mutation { createApiToken(name: "", role: ADMIN) { token } }`, {}, h.tokens.admin);
    expectRefused(token, 'BAD_USER_INPUT', /1 to 100 characters/);
  });

  it('an oversized request body is refused by the server', async () => {
    const response = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.tokens.operator}` },
      body: JSON.stringify({ query: `{ assets { key } }`, variables: { padding: 'x'.repeat(2_000_000) } }),
    });
    expect(response.status).toBe(413);
  });

  it('a GET or a form post cannot run a mutation (CSRF)', async () => {
    const get = await fetch(
      `${h.url}/graphql?query=${encodeURIComponent('mutation { materialize(selection: "core/quick") { id } }')}`,
      {
        headers: { authorization: `Bearer ${h.tokens.operator}` },
      },
    );
    expect(get.status).toBeGreaterThanOrEqual(400);
    const form = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${h.tokens.operator}` },
      body: JSON.stringify({ query: 'mutation { materialize(selection: "core/quick") { id } }' }),
    });
    expect(form.status).toBeGreaterThanOrEqual(400);
  });
});

describe.each(STORAGE_BACKENDS)('token brute force is rate limited per address and token (%s)', (backend) => {
  let h: GraphQLHarness;
  beforeAll(async () => {
    h = await startGraphQL(backend, FIXTURE_ASSETS, { failuresPerMinute: 5 });
  }, 60_000);
  afterAll(() => h?.close());

  it('after 5 wrong tokens from one address the next attempts get RATE_LIMITED with Retry-After', async () => {
    const before = await tableCounts(h);
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const guess = `weir_${h.tokens.admin.split('_')[1]}_${'A'.repeat(43 - String(i).length)}${i}`;
      const response = await h.gql(`{ viewer { role } }`, {}, guess);
      codes.push(String(response.errors?.[0]?.extensions?.code));
      if (i >= 5) {
        expect(response.status).toBe(429);
        expect(response.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);
      }
    }
    expect(codes).toEqual([...Array(5).fill('UNAUTHENTICATED'), ...Array(3).fill('RATE_LIMITED')]);
    // The guessed token stays locked from this address, even for a guess it has not seen...
    const another = await h.gql(`{ viewer { role } }`, {}, `weir_${h.tokens.admin.split('_')[1]}_${'B'.repeat(43)}`);
    expect(another.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // ...but a valid token of someone else behind the same address is not refused.
    const right = await h.gql<{ viewer: { role: string } }>(`{ viewer { role } }`, {}, h.tokens.operator);
    expect(right.errors).toBeUndefined();
    expect(right.data?.viewer.role).toBe('OPERATOR');
    expect(await tableCounts(h)).toEqual(before);
  });

  it('guesses at tokens that do not exist share one limit per address and lock out no real token', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) {
      // A fresh, unknown id prefix each time: they cannot spread over many limiter keys.
      const guess = `weir_${String(i).padStart(8, '0')}_${'C'.repeat(43)}`;
      codes.push(String((await h.gql(`{ viewer { role } }`, {}, guess)).errors?.[0]?.extensions?.code));
    }
    expect(codes).toEqual([...Array(5).fill('UNAUTHENTICATED'), ...Array(2).fill('RATE_LIMITED')]);
    const viewer = await h.gql<{ viewer: { role: string } }>(`{ viewer { role } }`, {}, h.tokens.viewer);
    expect(viewer.data?.viewer.role).toBe('VIEWER');
  });
});

describe('operations per token are rate limited (postgres)', () => {
  let h: GraphQLHarness;
  beforeAll(async () => {
    h = await startGraphQL('postgres', FIXTURE_ASSETS, { requestsPerMinute: 5 });
  }, 60_000);
  afterAll(() => h?.close());

  it('the 6th operation of a token within a minute gets RATE_LIMITED; other tokens are not slowed', async () => {
    const codes: Array<string | undefined> = [];
    for (let i = 0; i < 7; i++) {
      const response = await h.gql(`{ viewer { role } }`, {}, h.tokens.viewer);
      codes.push(response.errors?.[0]?.extensions?.code);
      if (i >= 5) expect(response.status).toBe(429);
    }
    expect(codes).toEqual([undefined, undefined, undefined, undefined, undefined, 'RATE_LIMITED', 'RATE_LIMITED']);
    const other = await h.gql<{ viewer: { role: string } }>(`{ viewer { role } }`, {}, h.tokens.operator);
    expect(other.data?.viewer.role).toBe('OPERATOR');
  });
});
