/**
 * Benchmark: peak memory of moving a large payload through the filesystem object store, against
 * a raw `fs` stream pipeline moving the same bytes (DESIGN §4: memory must not grow with payload
 * size). Each measurement runs in a fresh child process, so peak RSS is per measurement.
 *
 *   npx tsx bench/payload-memory.bench.ts             # 1 GiB
 *   WEIR_BENCH_PAYLOAD_MB=200 npx tsx bench/payload-memory.bench.ts
 *   node dist/bench/payload-memory.bench.js           # compiled
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FilesystemObjectStore } from '../src/io/filesystem-object-store.js';
import { isMainModule } from './bench-support.js';
import {
  childMeasurementName,
  kibToMib,
  MIB,
  payloadMiB,
  reportMeasurement,
  runChildMeasurement,
  seconds,
  sha256Of,
  sizeLabel,
} from './child-measurement.js';
import { generatedPayload, peakRssKiB } from './generated-payload.js';

type Measurement = 'store' | 'baseline';

interface ChildResult {
  readonly measurement: Measurement;
  readonly bytes: number;
  readonly writeMs: number;
  readonly readMs: number;
  readonly maxRssKiB: number;
}

/**
 * Moves a deterministic payload (`WEIR_BENCH_PAYLOAD_MB`, default 1024) through the filesystem
 * object store — put, then open and hash it back — and through a raw fs stream pipeline, each in
 * its own child process, and prints throughput and peak RSS with their ratio.
 */
export async function benchPayloadMemory(): Promise<void> {
  const mib = payloadMiB();
  const dir = await mkdtemp(path.join(tmpdir(), 'weir-bench-payload-'));
  try {
    const baseline = await runChild('baseline', path.join(dir, 'baseline'), mib);
    const store = await runChild('store', path.join(dir, 'store'), mib);
    const ratio = store.maxRssKiB / baseline.maxRssKiB;
    console.log(
      `payload ${sizeLabel(mib)} through filesystem store: put ${seconds(store.writeMs)} (${rate(store)}), ` +
        `read+hash ${seconds(store.readMs)}; peak RSS ${kibToMib(store.maxRssKiB)} ` +
        `(baseline raw stream ${kibToMib(baseline.maxRssKiB)}, ratio ${ratio.toFixed(1)}x)`,
    );
    console.log(
      `  baseline raw fs stream: write ${seconds(baseline.writeMs)} (${rate(baseline)}), ` +
        `read+hash ${seconds(baseline.readMs)}; peak RSS ${kibToMib(baseline.maxRssKiB)}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs one measurement in a fresh process: the same file, the same loader (tsx or none). */
async function runChild(measurement: Measurement, dir: string, mib: number): Promise<ChildResult> {
  try {
    const env = { WEIR_BENCH_DIR: dir, WEIR_BENCH_PAYLOAD_MB: String(mib) };
    return (await runChildMeasurement<ChildResult>(import.meta.url, measurement, env)).result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runMeasurement(measurement: Measurement): Promise<void> {
  const dir = process.env.WEIR_BENCH_DIR;
  if (!dir) throw new Error('WEIR_BENCH_DIR is not set; run the benchmark without --child=');
  await mkdir(dir, { recursive: true });
  const mib = payloadMiB();
  const bytes = mib * MIB;
  const payload = generatedPayload(mib);
  let writeMs: number;
  let readMs: number;

  if (measurement === 'store') {
    const store = new FilesystemObjectStore(dir);
    let start = performance.now();
    const ref = await store.put('runs/bench/step/attempt/output.bin', payload.stream, {
      contentType: 'application/octet-stream',
    });
    writeMs = performance.now() - start;
    check(
      ref.size === bytes && ref.sha256 === payload.sha256(),
      'the store hashed different bytes than were generated',
    );
    start = performance.now();
    const readBack = await sha256Of(await store.open(ref));
    readMs = performance.now() - start;
    check(readBack === ref.sha256, 'the bytes read back differ from the bytes stored');
  } else {
    const file = path.join(dir, 'payload.bin');
    let start = performance.now();
    await pipeline(payload.stream, createWriteStream(file));
    writeMs = performance.now() - start;
    start = performance.now();
    const readBack = await sha256Of(createReadStream(file));
    readMs = performance.now() - start;
    check(readBack === payload.sha256(), 'the bytes read back differ from the bytes written');
  }

  const result: ChildResult = { measurement, bytes, writeMs, readMs, maxRssKiB: peakRssKiB() };
  reportMeasurement(result);
}

function check(condition: boolean, problem: string): void {
  if (!condition) throw new Error(`payload bench: ${problem}`);
}

function rate(result: ChildResult): string {
  return `${Math.round(result.bytes / MIB / (result.writeMs / 1000))} MiB/s`;
}

if (isMainModule(import.meta.url)) {
  const child = childMeasurementName();
  if (child === 'store' || child === 'baseline') await runMeasurement(child);
  else if (child !== undefined) throw new Error(`Unknown --child=${child}; expected store or baseline`);
  else await benchPayloadMemory();
}
