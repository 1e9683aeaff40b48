import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asset, type AnyAssetDefinition } from '../../src/sdk/asset.js';
import { maxLag } from '../../src/sdk/freshness.js';
import { dailyPartitions } from '../../src/sdk/partitions.js';
import { waitFor } from '../support/engine-harness.js';
import { countQueries } from '../support/query-counter.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';

const RUNS_PAGE = `query($first: Int!) { runs(first: $first) { pageInfo { hasNextPage endCursor } nodes {
  id status trigger createdAt backfillId assetKeys canReexecute
  stepCounts { total succeeded failed }
  steps { assetKey status attemptCount reused output { uri size metadata } checks { checkName passed }
          attempts { number status errorMessage retryDelayMs } checkpoints { id } } } } }`;

const GRAPH = `{ assetGraph { hash edges { from to } nodes {
  key kind group owners tags { key value } status stale staleReasons running
  lastMaterialization { createdAt output { size } } freshness { status lagMs } } } }`;

/** A chain of `size` assets with fan-in, every fifth one with a freshness policy. */
function project(size: number): AnyAssetDefinition[] {
  const assets: AnyAssetDefinition[] = [];
  for (let i = 0; i < size; i++) {
    const deps = Object.fromEntries(
      [assets[i - 1], assets[i - 3]].filter(Boolean).map((dep, n) => [`in${n}`, dep as never]),
    );
    assets.push(
      asset({
        key: `g${i % 4}/a${i}`,
        group: `g${i % 4}`,
        deps,
        freshness: i % 5 === 0 ? maxLag('1h') : undefined,
        materialize: () => ({ i }),
      }) as AnyAssetDefinition,
    );
  }
  return assets;
}

describe('a page costs a bounded number of SQL queries whatever its size (postgres)', () => {
  let h: GraphQLHarness;
  beforeAll(async () => {
    h = await startGraphQL('postgres', project(6));
    // 120 real runs: 2-step runs, with outputs, attempts and checks to load.
    for (let i = 0; i < 120; i++) {
      const run = await h.engine.engine.requestRun({ selection: i % 2 ? 'g0/a0+' : 'g1/a1, g2/a2', trigger: 'manual' });
      await h.engine.engine.waitForRun(run.id);
    }
  }, 180_000);
  afterAll(() => h?.close());

  it('the runs page: 10 runs and 100 runs issue the same number of queries', async () => {
    const measure = async (first: number) => {
      let nodes = 0;
      const counted = await countQueries(h.engine.database.dataSource, async () => {
        const response = await h.gql<{ runs: { nodes: Array<{ steps: unknown[] }> } }>(
          RUNS_PAGE,
          { first },
          h.tokens.viewer,
        );
        expect(response.errors).toBeUndefined();
        nodes = response.data!.runs.nodes.length;
        expect(response.data!.runs.nodes.every((run) => run.steps.length > 0)).toBe(true);
      });
      return { ...counted, nodes };
    };
    await measure(1); // warm-up: the token's first use of the interval records last_used_at
    const small = await measure(10);
    const large = await measure(100);
    expect(small.nodes).toBe(10);
    expect(large.nodes).toBe(100);
    console.log(`runs page queries: ${small.count} for 10 runs, ${large.count} for 100 runs`);
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(12);
  });
});

describe('the asset graph query is bounded whatever the number of assets (postgres)', () => {
  const measure = async (size: number) => {
    const h = await startGraphQL('postgres', project(size));
    try {
      const run = await h.engine.engine.requestRun({ selection: 'g0/a0', trigger: 'manual' });
      await h.engine.engine.waitForRun(run.id);
      await h.gql(`{ viewer { role } }`, {}, h.tokens.viewer); // warm-up, as above
      let nodes = 0;
      const counted = await countQueries(h.engine.database.dataSource, async () => {
        const response = await h.gql<{ assetGraph: { nodes: unknown[] } }>(GRAPH, {}, h.tokens.viewer);
        expect(response.errors).toBeUndefined();
        nodes = response.data!.assetGraph.nodes.length;
      });
      return { ...counted, nodes };
    } finally {
      await h.close();
    }
  };

  it('20 assets and 400 assets issue the same number of queries', async () => {
    const small = await measure(20);
    const large = await measure(400);
    expect(small.nodes).toBe(20);
    expect(large.nodes).toBe(400);
    console.log(`asset graph queries: ${small.count} for 20 assets, ${large.count} for 400 assets`);
    expect(large.count).toBe(small.count);
    expect(large.count).toBeLessThanOrEqual(12);
  }, 120_000);
});

describe('the backfills list is bounded whatever the number of backfills (postgres)', () => {
  let h: GraphQLHarness;
  beforeAll(async () => {
    const days = asset({
      key: 'daily/orders',
      partitions: dailyPartitions({ start: '2025-01-01' }),
      materialize: (ctx) => ({ day: ctx.partition }),
    });
    h = await startGraphQL('postgres', [days]);
    for (let i = 0; i < 12; i++) {
      const day = `2025-02-${String(i + 1).padStart(2, '0')}`;
      const created = await h.backfills.create({ selection: 'daily/orders', partitions: { from: day, to: day } });
      await waitFor(async () => (await h.backfills.get(created.id))?.status === 'succeeded', 'the backfill to end');
    }
  }, 120_000);
  afterAll(() => h?.close());

  it('2 backfills and 12 backfills, with their partitions, issue the same number of queries', async () => {
    const measure = async (first: number) => {
      let partitions = 0;
      const counted = await countQueries(h.engine.database.dataSource, async () => {
        const response = await h.gql<{ backfills: Array<{ partitions: unknown[] }> }>(
          `query($first: Int) { backfills(first: $first) { id status counts { succeeded } partitions { key status runId } } }`,
          { first },
          h.tokens.viewer,
        );
        expect(response.errors).toBeUndefined();
        expect(response.data!.backfills).toHaveLength(first);
        partitions = response.data!.backfills.reduce((sum, backfill) => sum + backfill.partitions.length, 0);
      });
      return { ...counted, partitions };
    };
    await measure(1); // warm-up, as above
    const small = await measure(2);
    const large = await measure(12);
    expect(small.partitions).toBe(2);
    expect(large.partitions).toBe(12);
    console.log(`backfills list queries: ${small.count} for 2 backfills, ${large.count} for 12`);
    expect(large.count).toBe(small.count);
  });
});
