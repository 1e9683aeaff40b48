import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';

// Memory must not grow with payload size (DESIGN §4). It is measured as bytes still reachable
// after forced GCs at several points of a transfer, so garbage not yet collected is no noise: a
// store that buffered a 50 MiB payload would hold ≥ 25 MiB at the half-way sample.
export const MIB = 1024 * 1024;
export const SAMPLE_EVERY_MIB = 10;

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

/** The largest growth of retained memory over the samples taken since it was created. */
export class MemoryProbe {
  readonly #baseline = retainedBytes();
  maxGrowth = 0;
  samples = 0;

  sample(): void {
    this.samples += 1;
    this.maxGrowth = Math.max(this.maxGrowth, retainedBytes() - this.#baseline);
  }
}

/** A deterministic payload generated 1 MiB at a time, never held whole; samples memory as it goes. */
export function sampledPayload(mib: number, probe: MemoryProbe): { stream: Readable; sha256: () => string } {
  const hash = createHash('sha256');
  let index = 0;
  const stream = new Readable({
    read() {
      if (index > 0 && index % SAMPLE_EVERY_MIB === 0) probe.sample();
      if (index === mib) {
        // Sampled at the very end too: a store that buffers the whole body holds all of it here.
        this.push(null);
        return;
      }
      const chunk = Buffer.alloc(MIB, index % 251);
      chunk.writeUInt32BE(index, 0);
      index += 1;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, sha256: () => hash.digest('hex') };
}

/** Hashes a stream, sampling memory every {@link SAMPLE_EVERY_MIB} MiB; returns the hash and the length. */
export async function hashWhileSampling(
  stream: AsyncIterable<unknown>,
  probe: MemoryProbe,
): Promise<{ sha256: string; bytes: number }> {
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
  return { sha256: hash.digest('hex'), bytes };
}
