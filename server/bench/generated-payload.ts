import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';

const MIB = 1024 * 1024;

/** A generated payload: its stream, its length and (once read) the SHA-256 of what was produced. */
export interface GeneratedPayload {
  readonly stream: Readable;
  readonly bytes: number;
  sha256(): string;
}

/**
 * `mib` MiB of pseudo-random bytes, produced 1 MiB at a time on demand so that the generator
 * itself holds one chunk, hashed as generated so the reader can be checked.
 */
export function generatedPayload(mib: number): GeneratedPayload {
  const block = Buffer.allocUnsafe(MIB);
  let seed = 0x9e3779b9;
  for (let i = 0; i < MIB; i += 4) {
    // xorshift32: deterministic, and not compressible by a filesystem that compresses.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    block.writeUInt32LE(seed >>> 0, i);
  }
  const hash = createHash('sha256');
  let index = 0;
  const stream = new Readable({
    read() {
      if (index === mib) {
        this.push(null);
        return;
      }
      const chunk = Buffer.allocUnsafe(MIB);
      block.copy(chunk);
      chunk.writeUInt32LE(index, 0); // every chunk differs, so a misplaced chunk changes the hash
      index += 1;
      hash.update(chunk);
      this.push(chunk);
    },
  });
  return { stream, bytes: mib * MIB, sha256: () => hash.copy().digest('hex') };
}

/**
 * Peak resident memory of this process, in KiB. getrusage's maxRSS survives fork+exec on
 * Linux, so a child would report its parent's peak (the graph bench's 100k assets); the
 * kernel's VmHWM belongs to this address space alone.
 */
export function peakRssKiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
