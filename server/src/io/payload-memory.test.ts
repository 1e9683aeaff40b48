import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashWhileSampling, MemoryProbe, MIB, sampledPayload } from '../../test/support/memory-probe.js';
import { FilesystemObjectStore } from './filesystem-object-store.js';
import { decodeOutput, encodeOutput } from './payload-codec.js';

// The store itself is measured by the object-store conformance suite; this covers the codec
// path a step output takes (encode on the way in, decode for the downstream input).
const PAYLOAD_MIB = 50;
const MAX_RETAINED_GROWTH = 16 * MIB;

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'weir-payload-memory-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('payload memory', () => {
  it(`encodes and decodes a ${PAYLOAD_MIB} MiB stream output as a stream, without holding it`, async () => {
    const store = new FilesystemObjectStore(root);
    const probe = new MemoryProbe();
    const payload = sampledPayload(PAYLOAD_MIB, probe);

    const encoded = await encodeOutput(payload.stream, { store, keyPrefix: 'runs/r/s/a', inlineLimit: 64 * 1024 });
    expect(encoded).toMatchObject({ valueType: 'stream', inline: null, size: PAYLOAD_MIB * MIB });
    expect(encoded.dataVersion).toBe(payload.sha256());

    const decoded = await decodeOutput(encoded, store);
    expect(decoded).toBeInstanceOf(Readable);
    const read = await hashWhileSampling(decoded as Readable, probe);
    expect(read).toEqual({ sha256: encoded.dataVersion, bytes: PAYLOAD_MIB * MIB });
    expect(probe.samples).toBeGreaterThanOrEqual(8);
    expect(probe.maxGrowth).toBeLessThan(MAX_RETAINED_GROWTH);
  });
});
