/**
 * Benchmark: peak memory of the whole process tree while a large payload goes through isolated
 * steps — an upstream asset that returns a stream, a downstream one that reads it as a stream
 * input, both in worker-thread isolates of the engine's wiring (filesystem store) — against a
 * raw fs stream pipeline moving the same bytes in a fresh process. Payloads never cross the
 * thread boundary: each isolate reads and writes the object store itself.
 *
 * Measured twice: with the metadata on PostgreSQL (a server outside the tree, as for `weir
 * worker`), and on embedded PGlite (`weir dev`), whose database lives in the process and costs
 * a fixed amount whatever the payload: that run also prints the process's RSS before the run.
 * Needs PostgreSQL (`bash .ci/provision.sh`).
 *
 *   node dist/bench/isolated-payload-memory.bench.js          # 1 GiB
 *   WEIR_BENCH_PAYLOAD_MB=200 node dist/bench/isolated-payload-memory.bench.js
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  childMeasurementName,
  kibToMib,
  MIB,
  payloadMiB,
  reportMeasurement,
  runChildMeasurement,
  seconds,
  type ChildMeasurement,
  sha256Of,
  sizeLabel,
} from './child-measurement.js';
import { generatedPayload, peakRssKiB } from './generated-payload.js';
import { createScratchDatabase, dropScratchDatabase, isMainModule } from './bench-support.js';
import { measureProjectRun } from './project-run.js';
import { isolationProjectEntry } from './isolation-project-entry.js';

/** The limit the isolation issue sets for a 1 GiB payload through isolated steps. */
const TREE_LIMIT_MIB = 256;

interface ChildResult {
  readonly ms: number;
  /** Resident memory once the engine was open, before the run. */
  readonly openRssKiB: number;
  readonly bytes: number;
  /** This process's own high-water mark (VmHWM): the engine and every isolate thread. */
  readonly maxRssKiB: number;
}

/**
 * Runs upstream → downstream of `WEIR_BENCH_PAYLOAD_MB` MiB (default 1024) through isolated
 * steps, and the raw-stream baseline, each in its own process; prints time and peak RSS of
 * the process tree with their ratio.
 */
export async function benchIsolatedPayloadMemory(): Promise<void> {
  const mib = payloadMiB();
  const env = { WEIR_BENCH_PAYLOAD_MB: String(mib), WEIR_BENCH_NOOP_ASSETS: '0' };
  const baseline = await runChildMeasurement<ChildResult>(import.meta.url, 'baseline', env);
  const databaseUrl = await createScratchDatabase();
  let onPostgres: ChildMeasurement<ChildResult>;
  try {
    onPostgres = await runChildMeasurement<ChildResult>(import.meta.url, 'isolated', {
      ...env,
      WEIR_DATABASE_URL: databaseUrl,
    });
  } finally {
    await dropScratchDatabase(databaseUrl);
  }
  const onPglite = await runChildMeasurement<ChildResult>(import.meta.url, 'isolated', {
    ...env,
    WEIR_DATABASE_URL: '',
  });
  const baselineTree = treeKiB(baseline);
  const postgresTree = treeKiB(onPostgres);
  const verdict = postgresTree <= TREE_LIMIT_MIB * 1024 ? 'within' : 'OVER';
  console.log(
    `payload ${sizeLabel(mib)} upstream (stream output) → downstream (stream input), both isolated, metadata on PostgreSQL: ` +
      `${seconds(onPostgres.result.ms)} (${rate(onPostgres.result)}); peak RSS of the process tree ` +
      `${kibToMib(postgresTree)} (${verdict} the ${TREE_LIMIT_MIB} MiB limit; baseline raw stream ` +
      `${kibToMib(baselineTree)}, ratio ${(postgresTree / baselineTree).toFixed(1)}x)`,
  );
  console.log(
    `  embedded PGlite (weir dev): ${seconds(onPglite.result.ms)}; peak RSS of the process tree ` +
      `${kibToMib(treeKiB(onPglite))}, of which ${kibToMib(onPglite.result.openRssKiB)} before the run ` +
      `(PGlite's in-process database; growth during the run ${kibToMib(treeKiB(onPglite) - onPglite.result.openRssKiB)})`,
  );
  console.log(
    `  baseline raw fs stream write + read+hash: ${seconds(baseline.result.ms)} (${rate(baseline.result)}); ` +
      `peak RSS ${kibToMib(baselineTree)}`,
  );
}

/** The tree's peak: the sampled sum, or the process's own high-water mark if a sample missed it. */
function treeKiB(run: ChildMeasurement<ChildResult>): number {
  return Math.max(run.treePeakRssKiB, run.result.maxRssKiB);
}

async function runIsolated(): Promise<ChildResult> {
  return measureProjectRun(isolationProjectEntry(), 'payload/*', async (run) => {
    const upstream = await run.materialization('payload/upstream');
    const read = (await run.materialization('payload/downstream')).outputInline as { sha256: string; bytes: number };
    const bytes = payloadMiB() * MIB;
    if (upstream.outputRef?.size !== bytes || read.bytes !== bytes || read.sha256 !== upstream.outputRef.sha256) {
      throw new Error('the downstream read other bytes than the upstream stored');
    }
    return { ms: run.ms, bytes, openRssKiB: run.openRssKiB, maxRssKiB: peakRssKiB() };
  });
}

async function runBaseline(): Promise<ChildResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'weir-bench-isolated-baseline-'));
  try {
    const payload = generatedPayload(payloadMiB());
    const file = path.join(dir, 'payload.bin');
    const start = performance.now();
    await pipeline(payload.stream, createWriteStream(file));
    const readBack = await sha256Of(createReadStream(file));
    const ms = performance.now() - start;
    if (readBack !== payload.sha256()) throw new Error('the bytes read back differ from the bytes written');
    return { ms, bytes: payload.bytes, openRssKiB: 0, maxRssKiB: peakRssKiB() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function rate(result: ChildResult): string {
  return `${Math.round(result.bytes / MIB / (result.ms / 1000))} MiB/s`;
}

if (isMainModule(import.meta.url)) {
  const child = childMeasurementName();
  if (child === 'isolated') reportMeasurement(await runIsolated());
  else if (child === 'baseline') reportMeasurement(await runBaseline());
  else if (child !== undefined) throw new Error(`Unknown --child=${child}; expected isolated or baseline`);
  else await benchIsolatedPayloadMemory();
}
