/**
 * Benchmark: the console's lineage graph in headless Chromium at 1k and 5k assets.
 *
 * For each size, a real `weir` API (PGlite, in-process) serves the built console and a project
 * of N assets in 20 groups; Chromium signs in with a session cookie and opens `/`. Printed:
 * - time to first render (page start → first Cytoscape frame) and time to interactive (layout
 *   applied and the graph answering a selection), as the page measures them itself
 *   (`window.__weirLineage`), plus the wall time from navigation until interactive;
 * - baseline in the same run: the same page with a 10-asset project (fixed costs: scripts,
 *   sign-in check, first query), and the ratio of each size to it;
 * - the JS bundle size (all chunks, and the lineage page's own), raw and gzip.
 *
 *   node dist/bench/console-lineage.bench.js
 *
 * Needs `console/dist` (npm run build) and Chromium at /usr/bin/chromium (provision.sh).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { consoleDirectory } from '../src/api/console-assets.js';
import { AssetGraph } from '../src/graph/asset-graph.js';
import { asset, type AnyAsset } from '../src/sdk/asset.js';
import { startBenchApi } from './bench-api.js';
import { isMainModule } from './bench-support.js';

const CHROMIUM = '/usr/bin/chromium';
const SIZES = [1_000, 5_000];

function project(size: number): AnyAsset[] {
  const assets: AnyAsset[] = [];
  for (let i = 0; i < size; i++) {
    const deps = Object.fromEntries([assets[i - 1], assets[i - 13]].filter(Boolean).map((dep, n) => [`in${n}`, dep!]));
    const group = `team${i % 20}`;
    assets.push(asset({ key: `${group}/asset${i}`, group, deps, materialize: () => i }) as AnyAsset);
  }
  return assets;
}

interface LineageTimings {
  readonly firstRenderMs: number;
  readonly interactiveMs: number;
  readonly wallMs: number;
  readonly nodeCount: number;
}

async function measure(size: number): Promise<LineageTimings> {
  const api = await startBenchApi(AssetGraph.build(project(size)));
  const { auth, token, base } = api;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const { setCookie } = await auth.createSession(token, '127.0.0.1');
    const [name, value] = setCookie.split(';')[0]!.split('=');
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    await context.addCookies([{ name: name!, value: value!, url: base }]);
    const page = await context.newPage();
    const started = performance.now();
    await page.goto(`${base}/`);
    await page.waitForFunction(
      () => (globalThis as { __weirLineage?: { ready?: boolean } }).__weirLineage?.ready === true,
      null,
      {
        timeout: 300_000,
        polling: 50,
      },
    );
    const wallMs = performance.now() - started;
    const hook = await page.evaluate(() => {
      const h = (
        globalThis as unknown as { __weirLineage: { firstRenderMs: number; interactiveMs: number; nodeCount: number } }
      ).__weirLineage;
      return { firstRenderMs: h.firstRenderMs, interactiveMs: h.interactiveMs, nodeCount: h.nodeCount };
    });
    return { ...hook, wallMs };
  } finally {
    await browser.close();
    await api.close();
  }
}

function bundleSizes(directory: string): {
  totalRaw: number;
  totalGzip: number;
  lineageRaw: number;
  lineageGzip: number;
} {
  const assets = join(directory, 'assets');
  let totalRaw = 0;
  let totalGzip = 0;
  let lineageRaw = 0;
  let lineageGzip = 0;
  for (const file of readdirSync(assets).filter((f) => f.endsWith('.js'))) {
    const bytes = readFileSync(join(assets, file));
    const gzip = gzipSync(bytes).length;
    totalRaw += bytes.length;
    totalGzip += gzip;
    if (/^(LineagePage|LineageGraph|cytoscape|layout)/i.test(file)) {
      lineageRaw += bytes.length;
      lineageGzip += gzip;
    }
  }
  return { totalRaw, totalGzip, lineageRaw, lineageGzip };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} kB`;

/** Prints lineage render timings for 1k and 5k assets against a 10-asset baseline, and the bundle size. */
export async function benchConsoleLineage(): Promise<void> {
  const directory = consoleDirectory();
  if (!existsSync(join(directory, 'index.html')))
    throw new Error(`no built console in ${directory}: run npm run build`);
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: run bash .ci/provision.sh`);
  const sizes = bundleSizes(directory);
  console.log(
    `bundle: ${kb(sizes.totalRaw)} JS (${kb(sizes.totalGzip)} gzip), of which the lineage page and its graph libraries ${kb(sizes.lineageRaw)} (${kb(sizes.lineageGzip)} gzip)`,
  );
  const baseline = await measure(10);
  console.log(
    `baseline 10 assets: first render ${baseline.firstRenderMs.toFixed(0)} ms · interactive ${baseline.interactiveMs.toFixed(0)} ms · navigation → interactive ${baseline.wallMs.toFixed(0)} ms`,
  );
  for (const size of SIZES) {
    const result = await measure(size);
    if (result.nodeCount < size) throw new Error(`the page drew ${result.nodeCount} nodes, expected ${size}`);
    console.log(
      `${size} assets: first render ${result.firstRenderMs.toFixed(0)} ms (${(result.firstRenderMs / baseline.firstRenderMs).toFixed(1)}x baseline) · interactive ${result.interactiveMs.toFixed(0)} ms (${(result.interactiveMs / baseline.interactiveMs).toFixed(1)}x) · navigation → interactive ${result.wallMs.toFixed(0)} ms`,
    );
  }
}

if (isMainModule(import.meta.url)) await benchConsoleLineage();
