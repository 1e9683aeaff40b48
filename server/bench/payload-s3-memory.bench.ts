/**
 * Benchmark: peak memory of moving a large payload through the S3 object store
 * (`@weir/object-store-s3`) against a local s3rver, beside a baseline that moves the same bytes
 * with plain `@aws-sdk/lib-storage` Upload + GetObject and no Weir (DESIGN §4: memory must not
 * grow with payload size). Each measurement runs in a fresh child process, so peak RSS is per
 * measurement; s3rver runs in yet another process (a fresh one per measurement), so the server's
 * memory is in neither figure.
 *
 *   npx tsx bench/payload-s3-memory.bench.ts              # 1 GiB
 *   WEIR_BENCH_PAYLOAD_MB=200 npx tsx bench/payload-s3-memory.bench.ts
 *   node dist/bench/payload-s3-memory.bench.js            # compiled (needs `npm run build`)
 */
import { Readable } from 'node:stream';
import { createObjectStore } from '../src/io/object-store.factory.js';
import { startS3rver } from '../test/object-store/s3rver-process.js';
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
import { generatedPayload, peakRssKiB, type GeneratedPayload } from './generated-payload.js';

const BUCKET = 'weir-bench';
const KEY = 'runs/bench/step/attempt/output.bin';
/** The store's defaults, given to the baseline too so both buffer the same. */
const PART_SIZE = 8 * MIB;
const QUEUE_SIZE = 2;

type Measurement = 'store' | 'baseline';

interface ChildResult {
  readonly measurement: Measurement;
  readonly bytes: number;
  readonly writeMs: number;
  readonly readMs: number;
  readonly maxRssKiB: number;
}

/**
 * Moves a deterministic payload (`WEIR_BENCH_PAYLOAD_MB`, default 1024) to a local s3rver and
 * back — put, then open and hash — through Weir's S3 store and through raw lib-storage, each in
 * its own child process, and prints throughput and peak RSS with their ratio.
 */
export async function benchPayloadS3Memory(): Promise<void> {
  const mib = payloadMiB();
  const baseline = await runChild('baseline', mib);
  const store = await runChild('store', mib);
  const ratio = store.maxRssKiB / baseline.maxRssKiB;
  console.log(
    `payload ${sizeLabel(mib)} through S3 store (s3rver, ${PART_SIZE / MIB} MiB parts × ${QUEUE_SIZE} in flight): ` +
      `put ${seconds(store.writeMs)} (${rate(store.bytes, store.writeMs)}), ` +
      `read+hash ${seconds(store.readMs)} (${rate(store.bytes, store.readMs)}); peak RSS ${kibToMib(store.maxRssKiB)} ` +
      `(baseline raw lib-storage ${kibToMib(baseline.maxRssKiB)}, ratio ${ratio.toFixed(2)}x)`,
  );
  console.log(
    `  baseline raw lib-storage Upload + GetObject: put ${seconds(baseline.writeMs)} (${rate(baseline.bytes, baseline.writeMs)}), ` +
      `read+hash ${seconds(baseline.readMs)} (${rate(baseline.bytes, baseline.readMs)}); peak RSS ${kibToMib(baseline.maxRssKiB)}`,
  );
  console.log('  (peak RSS of the measured process only: s3rver runs in a separate process, not counted)');
}

/** Runs one measurement in a fresh process against a fresh s3rver, which is stopped (and its data deleted) after. */
async function runChild(measurement: Measurement, mib: number): Promise<ChildResult> {
  const server = await startS3rver(BUCKET);
  try {
    const env = {
      ...server.env,
      WEIR_BENCH_PAYLOAD_MB: String(mib),
      // The SDK's notice that it will drop Node 20 in 2027 says nothing about this benchmark.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    return (await runChildMeasurement<ChildResult>(import.meta.url, measurement, env)).result;
  } finally {
    await server.stop();
  }
}

async function runMeasurement(measurement: Measurement): Promise<void> {
  const mib = payloadMiB();
  const payload = generatedPayload(mib);
  const timings = measurement === 'store' ? await throughStore(payload) : await throughRawSdk(payload);
  const result: ChildResult = { measurement, bytes: mib * MIB, ...timings, maxRssKiB: peakRssKiB() };
  reportMeasurement(result);
}

/** Weir's path: its object-store factory loading `@weir/object-store-s3`, as `WEIR_OBJECT_STORE=s3://…` does. */
async function throughStore(payload: GeneratedPayload): Promise<{ writeMs: number; readMs: number }> {
  const store = await createObjectStore(`s3://${BUCKET}/weir`, '/nonexistent/default-root');
  try {
    let start = performance.now();
    const ref = await store.put(KEY, payload.stream, { contentType: 'application/octet-stream' });
    const writeMs = performance.now() - start;
    check(
      ref.size === payload.bytes && ref.sha256 === payload.sha256(),
      'the store hashed different bytes than were generated',
    );
    start = performance.now();
    const readBack = await sha256Of(await store.open(ref));
    const readMs = performance.now() - start;
    check(readBack === ref.sha256, 'the bytes read back differ from the bytes stored');
    return { writeMs, readMs };
  } finally {
    (store as { destroy?: () => void }).destroy?.();
  }
}

/** The baseline: the same SDK settings and part sizes, no Weir (no hashing, no HEAD check, no key queue). */
async function throughRawSdk(payload: GeneratedPayload): Promise<{ writeMs: number; readMs: number }> {
  const { S3Client, GetObjectCommand } = await import('@aws-sdk/client-s3');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const client = new S3Client({
    endpoint: process.env.WEIR_S3_ENDPOINT!,
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    let start = performance.now();
    await new Upload({
      client,
      params: { Bucket: BUCKET, Key: `raw/${KEY}`, Body: payload.stream, ContentType: 'application/octet-stream' },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
    }).done();
    const writeMs = performance.now() - start;
    start = performance.now();
    const { Body } = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `raw/${KEY}` }));
    const readBack = await sha256Of(Body as Readable);
    const readMs = performance.now() - start;
    check(readBack === payload.sha256(), 'the bytes read back differ from the bytes written');
    return { writeMs, readMs };
  } finally {
    client.destroy();
  }
}

function check(condition: boolean, problem: string): void {
  if (!condition) throw new Error(`S3 payload bench: ${problem}`);
}

function rate(bytes: number, ms: number): string {
  return `${Math.round(bytes / MIB / (ms / 1000))} MiB/s`;
}

if (isMainModule(import.meta.url)) {
  const child = childMeasurementName();
  if (child === 'store' || child === 'baseline') await runMeasurement(child);
  else if (child !== undefined) throw new Error(`Unknown --child=${child}; expected store or baseline`);
  else await benchPayloadS3Memory();
}
