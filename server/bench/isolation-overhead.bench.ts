/**
 * Benchmark: what isolation costs per step. First at the sandbox, one no-op step at a time: a
 * direct call on the engine's thread (the inline sandbox: same context, same output encoding,
 * no thread crossing) against a step in a warm worker-thread isolate (the pool every Weir
 * process runs user code in). Then end to end through the engine (`weir dev`'s wiring) on
 * PostgreSQL and on embedded PGlite: no-op steps/s with isolation on, against the same engine
 * running the same steps inline, measured in the same run.
 *
 *   node dist/bench/isolation-overhead.bench.js
 *   WEIR_BENCH_ISOLATED_CALLS=500 WEIR_BENCH_ISOLATED_STEPS=100 node dist/bench/isolation-overhead.bench.js
 *
 * Needs PostgreSQL (`bash .ci/provision.sh`); provisions nothing itself.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/weir-config.js';
import { openWeir } from '../src/engine/open-weir.js';
import { InlineSandbox } from '../src/execution/isolate/inline-sandbox.js';
import type { StepRequest, StepSandbox } from '../src/execution/isolate/step-sandbox.port.js';
import { WorkerPoolSandbox } from '../src/execution/isolate/worker-pool-sandbox.js';
import { FilesystemObjectStore } from '../src/io/filesystem-object-store.js';
import type { AssetGraph } from '../src/graph/asset-graph.js';
import { loadProject } from '../src/project/project-loader.js';
import { createScratchDatabase, dropScratchDatabase, isMainModule, sizeFromEnv } from './bench-support.js';
import { isolationProjectEntry } from './isolation-project-entry.js';

const WARMUP_CALLS = 200;
const NOOP_KEY = 'noop/a0001';

interface EngineFigures {
  readonly label: string;
  readonly isolatedMs: number;
  readonly inlineMs: number;
}

/** Prints the per-step overhead of isolation and no-op steps/s with isolation on and off. */
export async function benchIsolationOverhead(): Promise<void> {
  const calls = sizeFromEnv('WEIR_BENCH_ISOLATED_CALLS', 5_000, 1_000_000);
  const steps = sizeFromEnv('WEIR_BENCH_ISOLATED_STEPS', 500);
  // The isolates load the project from disk and must see the graph the engine loaded: the
  // size is in the environment they share.
  process.env.WEIR_BENCH_NOOP_ASSETS = String(steps);
  process.env.WEIR_BENCH_PAYLOAD_MB = '1';
  const entry = isolationProjectEntry();
  const { graph } = await loadProject(entry);

  const dir = await mkdtemp(join(tmpdir(), 'weir-bench-isolation-'));
  let direct: number;
  let isolated: number;
  try {
    direct = await perCallMs(new InlineSandbox(() => graph, new FilesystemObjectStore(dir)), calls);
    isolated = await perCallMs(
      new WorkerPoolSandbox({
        entry,
        graphHash: graph.hash,
        objectStore: { url: undefined, defaultRoot: dir },
        concurrency: 1,
        graceMs: 5_000,
      }),
      calls,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(
    `no-op step, one at a time: isolated ${micros(isolated)}/step, direct call ${micros(direct)}/step ` +
      `(overhead ${micros(isolated - direct)}/step, ${(isolated / direct).toFixed(1)}x; ${calls} steps each)`,
  );

  const figures: EngineFigures[] = [];
  const databaseUrl = await createScratchDatabase();
  const inlineUrl = await createScratchDatabase();
  try {
    figures.push({
      label: 'PostgreSQL',
      isolatedMs: await engineRunMs(graph, steps, { entry, databaseUrl }),
      inlineMs: await engineRunMs(graph, steps, { databaseUrl: inlineUrl }),
    });
  } finally {
    await dropScratchDatabase(databaseUrl);
    await dropScratchDatabase(inlineUrl);
  }
  figures.push({
    label: 'embedded PGlite',
    isolatedMs: await engineRunMs(graph, steps, { entry }),
    inlineMs: await engineRunMs(graph, steps, {}),
  });
  const concurrency = loadConfig({}).concurrency;
  for (const { label, isolatedMs, inlineMs } of figures) {
    const isolatedRate = steps / (isolatedMs / 1000);
    const inlineRate = steps / (inlineMs / 1000);
    console.log(
      `engine, ${label.padEnd(15)} ${steps} no-op steps, ${concurrency} at a time: isolated ${isolatedRate.toFixed(0)} steps/s, ` +
        `inline ${inlineRate.toFixed(0)} steps/s (${(isolatedRate / inlineRate).toFixed(2)}x)`,
    );
  }
}

/** Mean time of one no-op step through `sandbox`, one after the other, after a warm-up. */
async function perCallMs(sandbox: StepSandbox, calls: number): Promise<number> {
  try {
    await sandbox.warm();
    const handlers = { log: () => {}, checkpoint: async () => {} };
    const limits = { timeoutMs: undefined, memoryBytes: undefined };
    const once = async () => {
      const result = await sandbox.runStep(noopRequest(), handlers, limits).outcome;
      if (!result.ok) throw new Error(`the no-op step failed: ${result.error.message}`);
    };
    for (let i = 0; i < WARMUP_CALLS; i++) await once();
    const start = performance.now();
    for (let i = 0; i < calls; i++) await once();
    return (performance.now() - start) / calls;
  } finally {
    await sandbox.close();
  }
}

function noopRequest(): StepRequest {
  const runId = randomUUID();
  const stepId = randomUUID();
  const attemptId = randomUUID();
  return {
    assetKey: NOOP_KEY,
    runId,
    stepId,
    attemptId,
    attemptNumber: 1,
    partitionKey: '',
    config: undefined,
    keyPrefix: `runs/${runId}/${stepId}/${attemptId}`,
    inlineLimit: 64 * 1024,
    inputs: {},
    resume: undefined,
  };
}

/**
 * One warm-up run, then the timed run of every no-op asset, through an engine opened as `weir
 * dev` opens one: isolated when given the project's entry, inline (same graph) without it.
 */
async function engineRunMs(
  graph: AssetGraph,
  steps: number,
  target: { entry?: string; databaseUrl?: string },
): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'weir-bench-isolation-engine-'));
  const config = loadConfig({
    WEIR_DATA_DIR: dataDir,
    ...(target.databaseUrl ? { WEIR_DATABASE_URL: target.databaseUrl } : {}),
  });
  const opened = await openWeir(config, graph, target.entry ? { entry: target.entry } : {});
  try {
    const run = async () => {
      const requested = await opened.engine.requestRun({ selection: 'noop/*', trigger: 'manual' });
      const finished = await opened.engine.waitForRun(requested.id);
      const succeeded = finished.steps.filter((step) => step.status === 'succeeded').length;
      if (succeeded !== steps)
        throw new Error(`bench run succeeded ${succeeded} of ${steps} steps (${finished.status})`);
    };
    await run();
    const start = performance.now();
    await run();
    return performance.now() - start;
  } finally {
    await opened.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

function micros(ms: number): string {
  return `${Math.round(ms * 1000)} µs`;
}

if (isMainModule(import.meta.url)) await benchIsolationOverhead();
