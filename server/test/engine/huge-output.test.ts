import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';

// 3 GB through the real engine into the filesystem store of a temp dir, once per backend (the
// file is deleted with the harness). Past 2^31 on purpose: output_size was a 32-bit integer and
// such an output failed at the final insert. About 3 GB of free disk needed at a time.
const SIZE = 3_000_000_000;
const CHUNK = Buffer.alloc(1024 * 1024, 0x5a);

/** SIZE bytes, the same 1 MiB buffer again and again (nothing allocated per chunk). */
function* threeGigabytes(): Generator<Buffer> {
  let left = SIZE;
  while (left > 0) {
    const n = Math.min(left, CHUNK.length);
    yield n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n);
    left -= n;
  }
}

// The expected hash, computed once for both backends.
let expectedSha256: string | undefined;
function sha256OfThreeGigabytes(): string {
  if (!expectedSha256) {
    const hash = createHash('sha256');
    for (const chunk of threeGigabytes()) hash.update(chunk);
    expectedSha256 = hash.digest('hex');
  }
  return expectedSha256;
}

describe.each(STORAGE_BACKENDS)('a 3 GB streamed output (%s)', (backend) => {
  let api: GraphQLHarness | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it(
    'commits with its exact size, which GraphQL and REST give back as exact numbers',
    { timeout: 300_000 },
    async () => {
      const huge = asset({ key: 'huge/export', materialize: async () => Readable.from(threeGigabytes()) });
      api = await startGraphQL(backend, [huge]);
      const { engine, database } = api.engine;
      const started = Date.now();
      const run = await engine.waitForRun((await engine.requestRun({ selection: '*', trigger: 'manual' })).id);
      const seconds = (Date.now() - started) / 1000;
      console.log(`3 GB output on ${backend}: materialized in ${seconds.toFixed(1)} s`);
      expect(run.status, run.steps[0]?.error ?? '').toBe('succeeded');

      const [row] = await database.dataSource.query<
        Array<{ output_size: string; size_type: string; ref: { size: number; sha256: string; uri: string } }>
      >(`SELECT output_size::text, pg_typeof(output_size)::text AS size_type, output_ref AS ref FROM materializations`);
      expect(row!.size_type).toBe('bigint');
      expect(row!.output_size).toBe('3000000000');
      expect(row!.ref.size).toBe(SIZE);
      expect(row!.ref.sha256).toBe(sha256OfThreeGigabytes());
      const stored = await api.engine.store.list('runs/');
      const objects = [];
      for await (const object of stored) objects.push(object);
      expect(objects).toMatchObject([{ size: SIZE }]);
      // Through the engine's own read model (the entity and its transformer): a number, exact.
      expect(run.steps[0]!.output!.size).toBe(SIZE);

      const graphql = await api.gql<{
        asset: { lastMaterialization: { output: { size: number; sha256: string } } };
        run: { steps: Array<{ output: { size: number } }> };
      }>(
        `query($id: String!) {
        asset(key: "huge/export") { lastMaterialization { output { size sha256 } } }
        run(id: $id) { steps { output { size } } }
      }`,
        { id: run.id },
        api.tokens.viewer,
      );
      expect(graphql.errors).toBeUndefined();
      expect(graphql.data!.asset.lastMaterialization.output.size).toBe(SIZE);
      expect(graphql.data!.run.steps[0]!.output.size).toBe(SIZE);

      const rest = await fetch(`${api.url}/api/runs/${run.id}`, {
        headers: { authorization: `Bearer ${api.tokens.viewer}` },
      });
      expect(rest.status).toBe(200);
      const body = (await rest.json()) as { steps: Array<{ output: { size: unknown } }> };
      expect(body.steps[0]!.output.size).toBe(SIZE);
    },
  );
});
