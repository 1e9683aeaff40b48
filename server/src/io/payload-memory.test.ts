import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilesystemObjectStore } from './filesystem-object-store.js';
import { decodeOutput, encodeOutput } from './payload-codec.js';

// Memory must not grow with payload size (DESIGN §4). Measured as memory still reachable after
// a forced GC at several points of a 50 MiB transfer, so garbage not yet collected is no noise:
// a store that buffered the payload would hold ≥ 25 MiB at the half-way sample.
const MIB = 1024 * 1024;
const PAYLOAD_MIB = 50;
const MAX_RETAINED_GROWTH = 16 * MIB;
const SAMPLE_EVERY_MIB = 10;

const gc = obtainGc();

function obtainGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Bytes reachable from JS: the heap plus Buffers' backing stores. */
function retainedBytes(): number {
  // Buffers found dead by one GC are freed by a concurrent sweeper that the next GC waits for;
  // with a single gc() the count still includes garbage and swings by tens of MiB.
  gc();
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

class MemoryProbe {
  readonly #baseline = retainedBytes();
  maxGrowth = 0;
  samples = 0;

  sample(): void {
    this.samples += 1;
    this.maxGrowth = Math.max(this.maxGrowth, retainedBytes() - this.#baseline);
  }
}

/** A deterministic payload generated 1 MiB at a time, never held whole; samples memory as it goes. */
function generatedPayload(mib: number, probe: MemoryProbe): { stream: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  let index = 0;
  const stream = new Readable({
    read() {
      if (index === mib) {
        this.push(null);
        return;
      }
      if (index > 0 && index % SAMPLE_EVERY_MIB === 0) probe.sample();
      const chunk = Buffer.alloc(MIB, index % 251);
      chunk.writeUInt32BE(index, 0);
      index += 1;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, sha256: () => hash.digest('hex') };
}

async function hashWhileSampling(stream: AsyncIterable<unknown>, probe: MemoryProbe): Promise<string> {
  const hash = createHash('sha256');
  let bytes = 0;
  let nextSample = SAMPLE_EVERY_MIB * MIB;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    if (bytes >= nextSample) {
      probe.sample();
      nextSample += SAMPLE_EVERY_MIB * MIB;
    }
  }
  expect(bytes).toBe(PAYLOAD_MIB * MIB);
  return hash.digest('hex');
}

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'weir-payload-memory-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('payload memory', () => {
  it(`streams a ${PAYLOAD_MIB} MiB payload through the filesystem store without holding it`, async () => {
    const store = new FilesystemObjectStore(root);
    const probe = new MemoryProbe();
    const payload = generatedPayload(PAYLOAD_MIB, probe);

    const ref = await store.put('runs/r/s/a/output.bin', payload.stream, { contentType: 'application/octet-stream' });
    expect(ref.size).toBe(PAYLOAD_MIB * MIB);
    expect(ref.sha256).toBe(payload.sha256());

    expect(await hashWhileSampling(await store.open(ref), probe)).toBe(ref.sha256);
    expect(probe.samples).toBeGreaterThanOrEqual(8);
    expect(probe.maxGrowth).toBeLessThan(MAX_RETAINED_GROWTH);
  });

  it(`encodes and decodes a ${PAYLOAD_MIB} MiB stream output as a stream`, async () => {
    const store = new FilesystemObjectStore(root);
    const probe = new MemoryProbe();
    const payload = generatedPayload(PAYLOAD_MIB, probe);

    const encoded = await encodeOutput(payload.stream, { store, keyPrefix: 'runs/r/s/a', inlineLimit: 64 * 1024 });
    expect(encoded).toMatchObject({ valueType: 'stream', inline: null, size: PAYLOAD_MIB * MIB });
    expect(encoded.dataVersion).toBe(payload.sha256());

    const decoded = await decodeOutput(encoded, store);
    expect(decoded).toBeInstanceOf(Readable);
    expect(await hashWhileSampling(decoded as Readable, probe)).toBe(encoded.dataVersion);
    expect(probe.maxGrowth).toBeLessThan(MAX_RETAINED_GROWTH);
  });
});
