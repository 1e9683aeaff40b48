/**
 * Benchmark: the GraphQL API on PostgreSQL at scale.
 *
 * - the asset graph query (nodes with live status, edges) over 10k assets with 10k latest
 *   materializations; baseline in the same run: `GET /api/assets` (the REST list of definitions
 *   with staleness, no status), on the same server;
 * - the runs list with 100k runs: the first page and a page 99,900 runs deep (keyset cursor),
 *   100 runs with their steps and attempts; baseline: the same deep page as plain SQL with
 *   OFFSET (what a naive pager does), and the first page as plain SQL.
 *
 *   node dist/bench/graphql-api.bench.js
 *
 * Needs PostgreSQL (`bash .ci/provision.sh`); creates and drops a scratch database.
 */
import { AssetGraph } from '../src/graph/asset-graph.js';
import { asset, type AnyAsset } from '../src/sdk/asset.js';
import { maxLag } from '../src/sdk/freshness.js';
import { startBenchApi } from './bench-api.js';
import { createScratchDatabase, dropScratchDatabase, isMainModule } from './bench-support.js';

const ASSETS = 10_000;
const RUNS = 100_000;
const PASSES = 5;

function syntheticAssets(): AnyAsset[] {
  const assets: AnyAsset[] = [];
  for (let i = 0; i < ASSETS; i++) {
    const deps = Object.fromEntries([assets[i - 1], assets[i - 7]].filter(Boolean).map((dep, n) => [`in${n}`, dep!]));
    assets.push(
      asset({
        key: `g${i % 20}/asset${String(i).padStart(5, '0')}`,
        group: `g${i % 20}`,
        deps,
        freshness: i % 10 === 0 ? maxLag('6h') : undefined,
        materialize: () => i,
      }) as AnyAsset,
    );
  }
  return assets;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed(passes: number, work: () => Promise<unknown>): Promise<number> {
  await work(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < passes; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Prints the asset-graph and runs-list figures with their baselines. */
export async function benchGraphQLApi(): Promise<void> {
  const url = await createScratchDatabase();
  const graph = AssetGraph.build(syntheticAssets());
  const api = await startBenchApi(graph, url);
  const { engine, database, base, token } = api;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
    return body.data!;
  };
  try {
    const seedStart = performance.now();
    await seed(database.dataSource, graph, await engine.currentSnapshotId());
    console.log(
      `seeded ${RUNS} runs (1 step + 1 attempt each) and ${ASSETS} materializations in ${((performance.now() - seedStart) / 1000).toFixed(1)}s`,
    );

    // --- the asset graph ------------------------------------------------------------------
    if (process.env.WEIR_BENCH_PROFILE) {
      for (const fields of ['key', 'key group kind', 'key status', 'key lastMaterialization { createdAt }']) {
        const ms = await timed(3, () => gql(`{ assetGraph { nodes { ${fields} } } }`));
        console.log(`  profile: nodes { ${fields} } ${ms.toFixed(0)} ms`);
      }
    }
    const graphQuery = `{ assetGraph { hash edges { from to } nodes { key group kind status stale running lastMaterialization { createdAt } } } }`;
    let nodes = 0;
    let bytes = 0;
    const graphMs = await timed(PASSES, async () => {
      const data = (await gql(graphQuery)) as { assetGraph: { nodes: unknown[] } };
      nodes = data.assetGraph.nodes.length;
      bytes = JSON.stringify(data).length;
    });
    const restMs = await timed(PASSES, async () => {
      const response = await fetch(`${base}/api/assets`, { headers });
      await response.json();
    });
    console.log(
      `asset graph (GraphQL, ${nodes} nodes with status and latest materialization, ${(bytes / 1e6).toFixed(1)} MB): ${graphMs.toFixed(0)} ms median`,
    );
    console.log(
      `  baseline GET /api/assets (definitions + staleness, no status): ${restMs.toFixed(0)} ms · ratio ${(graphMs / restMs).toFixed(2)}x`,
    );

    // --- the runs list --------------------------------------------------------------------
    const runsQuery = `query($after: String) { runs(first: 100, after: $after) { pageInfo { endCursor hasNextPage }
      nodes { id status trigger createdAt stepCounts { total failed } steps { assetKey status attempts { number status } } } } }`;
    const firstMs = await timed(PASSES, () => gql(runsQuery));
    // A cursor 99,900 runs deep, found the way a client would: by the run at that position.
    const [deep] = (await database.dataSource.query(
      `SELECT id, created_at::text AS at FROM runs ORDER BY created_at DESC, id DESC OFFSET ${RUNS - 101} LIMIT 1`,
    )) as Array<{ id: string; at: string }>;
    const after = Buffer.from(JSON.stringify([deep!.at, deep!.id])).toString('base64url');
    let deepCount = 0;
    const deepMs = await timed(PASSES, async () => {
      const data = (await gql(runsQuery, { after })) as { runs: { nodes: unknown[] } };
      deepCount = data.runs.nodes.length;
    });
    const sqlFirstMs = await timed(PASSES, () =>
      database.dataSource.query(`SELECT * FROM runs ORDER BY created_at DESC, id DESC LIMIT 100`),
    );
    const sqlOffsetMs = await timed(PASSES, () =>
      database.dataSource.query(`SELECT * FROM runs ORDER BY created_at DESC, id DESC OFFSET ${RUNS - 100} LIMIT 100`),
    );
    console.log(`runs list of ${RUNS} runs, 100 per page with steps and attempts (GraphQL, keyset):`);
    console.log(
      `  first page ${firstMs.toFixed(1)} ms · page 99,900 deep (${deepCount} runs) ${deepMs.toFixed(1)} ms · deep/first ${(deepMs / firstMs).toFixed(2)}x`,
    );
    console.log(
      `  baseline plain SQL, runs only: first page ${sqlFirstMs.toFixed(1)} ms · same deep page with OFFSET ${sqlOffsetMs.toFixed(1)} ms (${(sqlOffsetMs / sqlFirstMs).toFixed(1)}x its first page)`,
    );
  } finally {
    await api.close();
    await dropScratchDatabase(url);
  }
}

/** Bulk rows straight in SQL: 100k ended runs spread over 100 days, 10k latest materializations. */
async function seed(dataSource: import('typeorm').DataSource, graph: AssetGraph, snapshotId: string): Promise<void> {
  const keys = graph.keys;
  await dataSource.query(
    `INSERT INTO runs (id, status, trigger, trigger_detail, selection, snapshot_id, created_at, started_at, ended_at)
     SELECT gen_random_uuid(), CASE WHEN g % 17 = 0 THEN 'failed' ELSE 'succeeded' END,
            CASE WHEN g % 3 = 0 THEN 'upstream' ELSE 'manual' END, '{}', ($1::text[])[1 + g % $2::int], $3::uuid,
            now() - (g * interval '86 seconds'), now() - (g * interval '86 seconds'), now() - (g * interval '86 seconds') + interval '2 seconds'
       FROM generate_series(1, $4::int) AS g`,
    [keys, keys.length, snapshotId, RUNS],
  );
  await dataSource.query(
    `INSERT INTO steps (id, run_id, asset_key, status, attempt_count, started_at, ended_at)
     SELECT gen_random_uuid(), r.id, r.selection, r.status, 1, r.started_at, r.ended_at FROM runs r`,
  );
  await dataSource.query(
    `INSERT INTO attempts (id, step_id, run_id, number, status, worker_id, heartbeat_at, started_at, ended_at)
     SELECT gen_random_uuid(), s.id, s.run_id, 1, s.status, 'bench', s.ended_at, s.started_at, s.ended_at FROM steps s`,
  );
  await dataSource.query(
    `INSERT INTO materializations (id, asset_key, run_id, step_id, attempt_id, data_version, value_type, output_inline, output_size, created_at)
     SELECT DISTINCT ON (s.asset_key) gen_random_uuid(), s.asset_key, s.run_id, s.id, a.id, md5(s.id::text), 'json', '1', 1, s.ended_at
       FROM steps s JOIN attempts a ON a.step_id = s.id WHERE s.status = 'succeeded' ORDER BY s.asset_key, s.ended_at DESC`,
  );
  await dataSource.query(`ANALYZE`);
}

if (isMainModule(import.meta.url)) await benchGraphQLApi();
