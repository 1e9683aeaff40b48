/**
 * Benchmark: loading a project of 1k, 10k and 100k synthetic assets (a layered DAG, each asset
 * depending on 1–3 assets of earlier layers) — defining them with `asset()`, then validating
 * and building the `AssetGraph` and selecting `*`. Baseline measured in the same run: a plain
 * `Map` of the same keys to their dependency keys, without any validation.
 *
 *   npx tsx bench/graph-load.bench.ts
 *   node dist/bench/graph-load.bench.js        # compiled
 */
import { AssetGraph } from '../src/graph/asset-graph.js';
import { asset, dependencyKey, type AnyAsset } from '../src/sdk/asset.js';

const SIZES = [1_000, 10_000, 100_000] as const;

/** Small seeded PRNG (mulberry32): the same DAG on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Defines `n` assets in layers of about √n; each asset outside the first layer depends on
 * 1–3 distinct assets of earlier layers (~2 on average).
 */
function defineLayeredAssets(n: number): AnyAsset[] {
  const next = random(n);
  const width = Math.max(10, Math.round(Math.sqrt(n)));
  const materialize = (): number => 0;
  const assets: AnyAsset[] = [];
  for (let i = 0; i < n; i++) {
    const layer = Math.floor(i / width);
    const key = `layer${String(layer).padStart(4, '0')}/asset${String(i).padStart(6, '0')}`;
    const deps: Record<string, AnyAsset> = {};
    if (layer > 0) {
      const earlier = layer * width;
      const count = 1 + Math.floor(next() * 3);
      for (let d = 0; d < count; d++) {
        // Half the edges from the previous layer, half from anywhere earlier: long and short edges.
        const from = next() < 0.5 ? earlier - width : 0;
        const upstream = assets[from + Math.floor(next() * (earlier - from))]!;
        deps[`in${d}`] = upstream;
      }
    }
    assets.push(asset({ key, deps, materialize }));
  }
  return assets;
}

/** The baseline: a plain `Map` of the same keys to their dependency keys, no validation. */
function buildBaselineMap(assets: readonly AnyAsset[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const definition of assets) map.set(definition.key, Object.values(definition.deps).map(dependencyKey));
  return map;
}

/**
 * Loads synthetic asset projects of 1k, 10k and 100k assets: defining them with `asset()`,
 * then validating and building the `AssetGraph` and selecting `*`. Prints one line per size,
 * with a plain `Map` of keys to dependency keys measured in the same run as baseline.
 */
export async function benchGraphLoad(): Promise<void> {
  for (const n of SIZES) {
    let start = performance.now();
    const assets = defineLayeredAssets(n);
    const defineMs = performance.now() - start;

    start = performance.now();
    const graph = AssetGraph.build(assets);
    const selected = graph.select('*');
    const buildMs = performance.now() - start;
    if (selected.length !== n) throw new Error(`selected ${selected.length} of ${n} assets`);

    start = performance.now();
    const baseline = buildBaselineMap(assets);
    const baselineMs = performance.now() - start;
    if (baseline.size !== n) throw new Error('baseline lost keys');

    const totalMs = defineMs + buildMs;
    console.log(
      [
        'graph load+validate',
        `N=${String(n).padEnd(6)}`,
        `define ${ms(defineMs)}`,
        `build+validate ${ms(buildMs)}`,
        `total ${ms(totalMs)}`,
        `(per asset ${((totalMs * 1000) / n).toFixed(1)} µs)`,
        `baseline Map ${ms(baselineMs)}`,
        `build x${(buildMs / baselineMs).toFixed(1)} baseline`,
      ].join('  '),
    );
  }
}

function ms(value: number): string {
  return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchGraphLoad();
