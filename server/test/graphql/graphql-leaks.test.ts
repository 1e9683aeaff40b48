import { createHash } from 'node:crypto';
import { format } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatApiError } from '../../src/api/graphql/format-api-error.js';
import { asset } from '../../src/sdk/asset.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';
import { FIXTURE_ASSETS } from './graphql-fixtures.js';

// Over the 64 KiB inline threshold: stored in the (filesystem) object store.
const blob = asset({ key: 'big/blob', materialize: () => ({ data: 'x'.repeat(100_000) }) });

/** Everything written to stderr (console.error included) while `work` runs. */
async function capturedStderr(work: () => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  // The test runner routes console output itself: catch it on the way in too.
  const error = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    chunks.push(`${format(...args)}\n`);
  });
  try {
    await work();
  } finally {
    stderr.mockRestore();
    error.mockRestore();
  }
  return chunks.join('');
}

describe.each(STORAGE_BACKENDS)('what the API lets out (%s)', (backend) => {
  let h: GraphQLHarness;
  let runId: string;
  beforeAll(async () => {
    h = await startGraphQL(backend, [...FIXTURE_ASSETS, blob]);
    const run = await h.engine.engine.requestRun({ selection: 'big/blob', trigger: 'manual' });
    await h.engine.engine.waitForRun(run.id);
    runId = run.id;
  }, 60_000);
  afterAll(() => h?.close());

  it('a persisted-query hash mismatch is BAD_REQUEST (400) with a clear message', async () => {
    const query = `{ viewer { role } }`;
    const response = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.tokens.viewer}` },
      body: JSON.stringify({
        query,
        extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
      }),
    });
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(response.status).toBe(400);
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
    expect(body.errors[0]!.message).toMatch(/sha256Hash is not the SHA-256 of the query/);
    // The right hash still works.
    const right = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.tokens.viewer}` },
      body: JSON.stringify({
        query,
        extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } },
      }),
    });
    expect(((await right.json()) as { data: unknown }).data).toEqual({ viewer: { role: 'VIEWER' } });
  });

  it('error messages quote at most 200 characters of an unknown key, with its length', async () => {
    const key = `nope/${'k'.repeat(495)}`; // 500 characters: within the input limit, unknown
    const response = await h.gql(`query($key: String!) { asset(key: $key) { key } }`, { key }, h.tokens.viewer);
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const message = response.errors![0]!.message;
    expect(message).toMatch(/… \(\d+ characters\)/);
    expect(message).not.toContain(key);
    expect(message.length).toBeLessThan(700);
    const rest = await fetch(`${h.url}/api/assets/${key}/decisions`, {
      headers: { authorization: `Bearer ${h.tokens.viewer}` },
    });
    expect(rest.status).toBe(404);
    const restMessage = ((await rest.json()) as { message: string }).message;
    expect(restMessage).not.toContain(key);
    expect(restMessage).toMatch(/… \(\d+ characters\)/);
    // Over the limit, the key is not echoed at all.
    const huge = await h.gql(
      `query($key: String!) { asset(key: $key) { key } }`,
      { key: 'k'.repeat(90_000) },
      h.tokens.viewer,
    );
    expect(huge.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(huge).length).toBeLessThan(1_000);
  });

  it('a viewer sees payload URIs relative to the store, never a server path', async () => {
    const response = await h.gql<{
      run: { steps: Array<{ output: { uri: string | null } }>; events: Array<{ message: string; data: unknown }> };
    }>(
      `query($id: String!) { run(id: $id) { steps { output { uri } } events { message data } } }`,
      { id: runId },
      h.tokens.viewer,
    );
    expect(response.errors).toBeUndefined();
    const uri = response.data!.run.steps[0]!.output.uri!;
    expect(uri).toMatch(/^weir-store:\/\/runs\/[0-9a-f-]+\/[0-9a-f-]+\/[0-9a-f-]+\/output\.json$/);
    const history = await h.gql<{ asset: { materializations: { nodes: Array<{ output: { uri: string } }> } } }>(
      `{ asset(key: "big/blob") { materializations { nodes { output { uri } } } } }`,
      {},
      h.tokens.viewer,
    );
    expect(history.data!.asset.materializations.nodes[0]!.output.uri).toBe(uri);
    const rest = await fetch(`${h.url}/api/runs/${runId}`, { headers: { authorization: `Bearer ${h.tokens.viewer}` } });
    const restEvents = await fetch(`${h.url}/api/runs/${runId}/events`, {
      headers: { authorization: `Bearer ${h.tokens.viewer}` },
    });
    const everything = JSON.stringify([response.data, await rest.json(), await restEvents.json()]);
    expect(everything).toContain('weir-store://runs/');
    expect(everything).not.toMatch(/file:\/\//);
    expect(everything).not.toContain(
      h.engine.engine.objectStore
        .uriFor('x')
        .replace(/^file:\/\//, '')
        .slice(0, -1),
    );
  });

  it('a failed statement is logged by its shape, never with its bound parameters', async () => {
    const secret = 'distinctive-parameter-7f3a9c';
    let failure: unknown;
    const logged = await capturedStderr(async () => {
      failure = await h.engine.database.dataSource
        .query('SELECT id FROM runs WHERE id = $1::uuid', [secret])
        .catch((error: unknown) => error);
      // The API's log line for an unexpected error (what a resolver's failed statement gives).
      formatApiError({ message: 'x' }, { originalError: failure });
    });
    expect((failure as Error).name).toBe('QueryFailedError');
    expect(logged).toContain('SELECT id FROM runs WHERE id = $1::uuid');
    expect(logged).toMatch(/weir: SQL statement failed: .*\(1 parameters, not logged\)/);
    expect(logged).toMatch(/weir: GraphQL request failed/);
    expect(logged).not.toContain(secret);
  });
});
