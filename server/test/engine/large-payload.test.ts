import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

const MIB = 1024 * 1024;
const SIZE = 50 * MIB;

/** 50 MB of deterministic bytes, produced 1 MiB at a time (never held whole). */
function* chunks(): Generator<Buffer> {
  for (let i = 0; i < SIZE / MIB; i++) {
    const chunk = Buffer.alloc(MIB);
    for (let offset = 0; offset < MIB; offset += 4) chunk.writeUInt32LE((i * MIB + offset) >>> 0, offset);
    yield chunk;
  }
}

function expectedSha256(): string {
  const hash = createHash('sha256');
  for (const chunk of chunks()) hash.update(chunk);
  return hash.digest('hex');
}

describe.each(STORAGE_BACKENDS)('a 50 MB output (%s)', (backend) => {
  let harness: EngineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('is stored by URI, never in the database, and streams to the downstream asset', async () => {
    const big = asset({ key: 'big/export', materialize: async () => Readable.from(chunks()) });
    const reader = asset({
      key: 'big/checksum',
      deps: { data: big },
      materialize: async (ctx, { data }) => {
        const hash = createHash('sha256');
        let bytes = 0;
        for await (const chunk of data) {
          hash.update(chunk as Buffer);
          bytes += (chunk as Buffer).length;
        }
        ctx.metadata({ bytes });
        return { sha256: hash.digest('hex'), bytes };
      },
    });
    harness = await startEngine(backend, [big, reader]);
    const run = await harness.engine.waitForRun(
      (await harness.engine.requestRun({ selection: '*', trigger: 'manual' })).id,
    );
    expect(run.status).toBe('succeeded');

    const expected = expectedSha256();
    const [row] = await harness.database.dataSource.query(
      `SELECT value_type, output_inline, output_ref, output_size, data_version, pg_column_size(m.*) AS row_bytes
         FROM materializations m WHERE asset_key = 'big/export'`,
    );
    expect(row.value_type).toBe('stream');
    expect(row.output_inline).toBeNull();
    expect(row.output_ref).toMatchObject({ kind: 'payload-ref', size: SIZE, sha256: expected });
    expect(row.output_ref.uri).toMatch(/^file:\/\/\/.*\/runs\/.*\/output\.bin$/);
    expect(Number(row.output_size)).toBe(SIZE);
    expect(row.data_version).toBe(expected);
    // The whole row (reference, hashes, metadata) is a few hundred bytes, not 50 MB.
    expect(Number(row.row_bytes)).toBeLessThan(4096);
    const [{ total }] = await harness.database.dataSource.query(
      `SELECT pg_total_relation_size('materializations') AS total`,
    );
    expect(Number(total)).toBeLessThan(1024 * 1024);

    const checksum = run.steps.find((s) => s.assetKey === 'big/checksum')!;
    const [downstream] = await harness.database.dataSource.query(
      `SELECT output_inline FROM materializations WHERE asset_key = 'big/checksum'`,
    );
    expect(downstream.output_inline).toEqual({ sha256: expected, bytes: SIZE });
    expect(checksum.output!.metadata).toEqual({ bytes: SIZE });
  });

  it('keeps JSON over the inline limit out of the database and hands it down parsed', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ id: i, label: `row-${i}`.padEnd(20, '.') }));
    const wide = asset({ key: 'json/wide', materialize: async () => rows });
    const count = asset({
      key: 'json/count',
      deps: { rows: wide },
      materialize: async (_ctx, inputs) => inputs.rows.length,
    });
    harness = await startEngine(backend, [wide, count], { inlineLimit: 64 * 1024 });
    const run = await harness.engine.waitForRun(
      (await harness.engine.requestRun({ selection: '*', trigger: 'manual' })).id,
    );
    expect(run.status).toBe('succeeded');
    const [stored] = await harness.database.dataSource.query(
      `SELECT output_inline, output_ref FROM materializations WHERE asset_key = 'json/wide'`,
    );
    expect(stored.output_inline).toBeNull();
    expect(stored.output_ref.size).toBe(Buffer.byteLength(JSON.stringify(rows)));
    expect(stored.output_ref.size).toBeGreaterThan(64 * 1024);
    const [counted] = await harness.database.dataSource.query(
      `SELECT output_inline FROM materializations WHERE asset_key = 'json/count'`,
    );
    expect(counted.output_inline).toBe(5000);
  });
});
