import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTypeDefs } from '../../src/api/graphql/api-type-defs.js';
import type { Role } from '../../src/auth/principal.js';
import { waitFor } from '../support/engine-harness.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';
import { FIXTURE_ASSETS } from './graphql-fixtures.js';

type Caller = 'none' | Role | 'revoked';
const CALLERS: readonly Caller[] = ['none', 'viewer', 'operator', 'admin', 'revoked'];

interface MutationCase {
  readonly name: string;
  readonly needs: Role;
  /** Makes the operation (fresh fixtures for each call, so an allowed call can succeed). */
  prepare(h: GraphQLHarness): Promise<{ query: string; variables?: Record<string, unknown> }>;
}

async function endedRun(h: GraphQLHarness, selection: string): Promise<string> {
  const run = await h.engine.engine.requestRun({ selection, trigger: 'manual' });
  await h.engine.engine.waitForRun(run.id);
  return run.id;
}

const MUTATIONS: readonly MutationCase[] = [
  {
    name: 'materialize',
    needs: 'operator',
    prepare: async () => ({ query: `mutation { materialize(selection: "core/quick") { id } }` }),
  },
  {
    name: 'backfill',
    needs: 'operator',
    prepare: async () => ({
      query: `mutation { backfill(selection: "core/days", partitionRange: { from: "2025-01-01", to: "2025-01-02" }) { id } }`,
    }),
  },
  {
    name: 'retryBackfill',
    needs: 'operator',
    prepare: async (h) => {
      const created = await h.backfills.create({ selection: 'core/broken_days', partitions: ['2025-01-01'] });
      await waitFor(async () => (await h.backfills.get(created.id))?.status === 'failed', 'the backfill to fail');
      return {
        query: `mutation($id: String!) { retryBackfill(id: $id) { id status retries } }`,
        variables: { id: created.id },
      };
    },
  },
  {
    name: 'reexecuteRun',
    needs: 'operator',
    prepare: async (h) => ({
      query: `mutation($id: String!) { reexecuteRun(runId: $id, mode: FROM_FAILURE) { id } }`,
      variables: { id: await endedRun(h, 'core/broken') },
    }),
  },
  {
    name: 'cancelRun',
    needs: 'operator',
    prepare: async (h) => {
      const run = await h.engine.engine.requestRun({ selection: 'core/slow', trigger: 'manual' });
      return { query: `mutation($id: String!) { cancelRun(runId: $id) { id status } }`, variables: { id: run.id } };
    },
  },
  {
    name: 'reportAssetEvent',
    needs: 'operator',
    prepare: async () => ({
      query: `mutation { reportAssetEvent(assetKey: "vendor/feed", dataVersion: "v1") { id } }`,
    }),
  },
  {
    name: 'addDynamicPartitions',
    needs: 'operator',
    prepare: async () => ({
      query: `mutation($keys: [String!]!) { addDynamicPartitions(set: "regions", keys: $keys) }`,
      variables: { keys: [`r-${Math.random().toString(36).slice(2, 8)}`] },
    }),
  },
  {
    name: 'createApiToken',
    needs: 'admin',
    prepare: async () => ({ query: `mutation { createApiToken(name: "ci", role: VIEWER) { token apiToken { id } } }` }),
  },
  {
    name: 'revokeApiToken',
    needs: 'admin',
    prepare: async (h) => {
      const { apiToken } = await h.auth.createToken({ name: 'to revoke', role: 'viewer' });
      return {
        query: `mutation($id: String!) { revokeApiToken(id: $id) { id revokedAt } }`,
        variables: { id: apiToken.id },
      };
    },
  },
];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

// Tables a mutation writes to: a refused call must leave every one of them as it was.
const WRITTEN_TABLES = [
  'runs',
  'steps',
  'backfills',
  'backfill_partitions',
  'observations',
  'dynamic_partitions',
  'api_tokens',
  'api_tokens WHERE revoked_at IS NOT NULL',
  'event_log',
];

describe('authorization matrix: every mutation × {no token, viewer, operator, admin, revoked} (postgres)', () => {
  let h: GraphQLHarness;
  beforeAll(async () => {
    h = await startGraphQL('postgres', FIXTURE_ASSETS);
  }, 60_000);
  afterAll(() => h?.close());

  const snapshot = async () => {
    const counts: Record<string, number> = {};
    for (const table of WRITTEN_TABLES) {
      const [name, where] = table.split(' WHERE ');
      counts[table] = await h.engine.count(name!, where);
    }
    return counts;
  };

  for (const mutation of MUTATIONS) {
    for (const caller of CALLERS) {
      const allowed = caller !== 'none' && caller !== 'revoked' && RANK[caller] >= RANK[mutation.needs];
      it(`${mutation.name} as ${caller}: ${allowed ? 'allowed' : 'refused'}`, async () => {
        const { query, variables } = await mutation.prepare(h);
        // Let fixtures settle (a run started by prepare writes its own events).
        await waitFor(async () => {
          const before = await snapshot();
          await new Promise((resolve) => setTimeout(resolve, 50));
          return JSON.stringify(before) === JSON.stringify(await snapshot()) || undefined;
        }, 'fixtures to settle');
        const before = await snapshot();
        const token = caller === 'none' ? undefined : h.tokens[caller];
        const response = await h.gql(query, variables, token);
        if (allowed) {
          expect(response.errors).toBeUndefined();
          expect(response.data).toBeTruthy();
          return;
        }
        const code = response.errors?.[0]?.extensions?.code;
        if (caller === 'none' || caller === 'revoked') {
          expect(code).toBe('UNAUTHENTICATED');
          expect(response.status).toBe(401);
        } else {
          expect(code).toBe('FORBIDDEN');
          expect(response.errors![0]!.message).toContain(`needs the ${mutation.needs} role`);
        }
        expect(response.data ?? null).toBeNull();
        expect(await snapshot()).toEqual(before);
      });
    }
  }

  it('covers every mutation of the schema', () => {
    const mutations = buildSchema(apiTypeDefs.join('\n')).getMutationType()!.getFields();
    expect(MUTATIONS.map((m) => m.name).sort()).toEqual(Object.keys(mutations).sort());
  });

  it('queries need a valid token too', async () => {
    for (const token of [undefined, h.tokens.revoked, 'weir_00000000_forged']) {
      const response = await h.gql(`{ assets { key } }`, {}, token);
      expect(response.status).toBe(401);
      expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(response.data ?? null).toBeNull();
    }
    const viewer = await h.gql<{ assets: Array<{ key: string }> }>(`{ assets { key } }`, {}, h.tokens.viewer);
    expect(viewer.data!.assets.map((a) => a.key)).toContain('core/quick');
  });

  it('only admins list tokens, and no listing carries a secret', async () => {
    const asOperator = await h.gql(`{ apiTokens { id } }`, {}, h.tokens.operator);
    expect(asOperator.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asAdmin = await h.gql<{ apiTokens: Array<{ id: string; name: string; role: string }> }>(
      `{ apiTokens { id name role revokedAt } }`,
      {},
      h.tokens.admin,
    );
    expect(asAdmin.data!.apiTokens.length).toBeGreaterThanOrEqual(4);
    const body = JSON.stringify(asAdmin);
    for (const token of Object.values(h.tokens)) expect(body).not.toContain(token.split('_').slice(2).join('_'));
  });
});
