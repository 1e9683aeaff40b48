import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectGarbage } from '../../src/gc/object-gc.js';
import { FilesystemObjectStore } from '../../src/io/filesystem-object-store.js';
import { openDatabase, type OpenedDatabase } from '../../src/storage/data-source.factory.js';
import { CheckpointEntity } from '../../src/storage/entities/checkpoint.entity.js';
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  STORAGE_BACKENDS,
  type StorageBackend,
} from '../support/databases.js';
import { insertRunWithStep, newAttempt, newMaterialization } from '../support/storage-fixtures.js';
import { runWeir } from '../support/weir-process.js';

// The build is needed for the CLI half (`npm run build -w weir`): bin/weir.js runs dist.

const HOUR = 3_600_000;
const WINDOW = 24 * HOUR;

/** A data directory (objects under `<dir>/objects`) with each kind of object gc must judge. */
interface Fixture {
  readonly dir: string;
  readonly env: Record<string, string>;
  readonly store: FilesystemObjectStore;
  readonly db: OpenedDatabase;
  /** Must survive a collection. */
  readonly kept: Record<string, string>;
  /** Orphans older than the window: must go. */
  readonly orphans: string[];
  readonly orphanBytes: number;
  close(): Promise<void>;
}

async function setUp(backend: StorageBackend): Promise<Fixture> {
  const dir = await mkdtemp(path.join(tmpdir(), 'weir-gc-'));
  const url = backend === 'postgres' ? await createPostgresDatabase() : undefined;
  const db = await openDatabase(
    url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: path.join(dir, 'pglite') },
  );
  const store = new FilesystemObjectStore(path.join(dir, 'objects'));
  const put = async (key: string, bytes: number) => {
    await store.put(key, Buffer.alloc(bytes, 1), { contentType: 'application/octet-stream' });
    return key;
  };
  const ds = db.dataSource;

  // A materialized attempt: its output, and a file it wrote beside it (referenced from inside
  // its output, say), stay. So does the output of an earlier attempt a `ref` output points at.
  const done = await ds.transaction(async (m) => {
    const { step } = await insertRunWithStep(m, { status: 'succeeded' });
    const attempt = await m.save(newAttempt(step, { status: 'succeeded' }));
    return { step, attempt, prefix: `runs/${step.runId}/${step.id}/${attempt.id}` };
  });
  const output = await put(`${done.prefix}/output.bin`, 3000);
  const sideFile = await put(`${done.prefix}/files/side.csv`, 10);
  const pointedAt = await put(`runs/${randomUUID()}/${randomUUID()}/${randomUUID()}/files/shared.parquet`, 20);
  await ds.getRepository(newMaterialization(done.step, done.attempt).constructor).save(
    newMaterialization(done.step, done.attempt, {
      valueType: 'stream',
      outputInline: null,
      outputRef: {
        kind: 'payload-ref',
        uri: store.uriFor(output),
        size: 3000,
        sha256: 'a'.repeat(64),
        contentType: 'application/octet-stream',
      },
      outputSize: 3000,
    }),
  );
  const refStep = await ds.transaction(async (m) => {
    const { step } = await insertRunWithStep(m, { status: 'succeeded' });
    return { step, attempt: await m.save(newAttempt(step, { status: 'succeeded' })) };
  });
  await ds.getRepository(newMaterialization(refStep.step, refStep.attempt).constructor).save(
    newMaterialization(refStep.step, refStep.attempt, {
      valueType: 'ref',
      outputInline: null,
      outputRef: {
        kind: 'payload-ref',
        uri: store.uriFor(pointedAt),
        size: 20,
        sha256: 'b'.repeat(64),
        contentType: 'application/octet-stream',
      },
      outputSize: 20,
    }),
  );

  // A failed attempt: its checkpoint stays (the next attempt resumes from it), its output goes.
  const failed = await ds.transaction(async (m) => {
    const { step } = await insertRunWithStep(m, { status: 'retry_scheduled' });
    const attempt = await m.save(newAttempt(step, { status: 'failed', errorKind: 'user' }));
    return { step, attempt, prefix: `runs/${step.runId}/${step.id}/${attempt.id}` };
  });
  const checkpoint = await put(`${failed.prefix}/checkpoints/1.json`, 70_000);
  await ds.getRepository(CheckpointEntity).save(
    Object.assign(new CheckpointEntity(), {
      id: randomUUID(),
      stepId: failed.step.id,
      attemptId: failed.attempt.id,
      stateInline: null,
      stateRef: {
        kind: 'payload-ref',
        uri: store.uriFor(checkpoint),
        size: 70_000,
        sha256: 'c'.repeat(64),
        contentType: 'application/json',
      },
    }),
  );
  const failedOutput = await put(`${failed.prefix}/output.bin`, 5000);

  // A running attempt (started long ago, still heartbeating): everything under its prefix stays.
  const running = await ds.transaction(async (m) => {
    const { step } = await insertRunWithStep(m, { status: 'running' });
    const attempt = await m.save(newAttempt(step, { status: 'running' }));
    return `runs/${step.runId}/${step.id}/${attempt.id}`;
  });
  const runningFile = await put(`${running}/files/part-0001.csv`, 400);

  // Orphans nothing knows of: an old one goes, a young one stays; outside runs/ is not Weir's.
  const oldOrphan = await put(`runs/${randomUUID()}/${randomUUID()}/${randomUUID()}/output.bin`, 7000);
  const youngOrphan = await put(`runs/${randomUUID()}/${randomUUID()}/${randomUUID()}/output.bin`, 60);
  const foreign = await put('exports/by-hand.bin', 5);

  const old = new Date(Date.now() - 2 * WINDOW);
  const young = new Date(Date.now() - HOUR);
  for await (const object of store.list('')) {
    const when = object.key === youngOrphan ? young : old;
    await utimes(path.join(store.rootDir, ...object.key.split('/')), when, when);
  }
  await db.close();
  // Reopened for the test; the CLI half closes it first (PGlite is single-process).
  const reopened = await openDatabase(
    url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: path.join(dir, 'pglite') },
  );
  return {
    dir,
    env: { WEIR_DATA_DIR: dir, WEIR_GC_SAFETY_WINDOW: '24h', ...(url ? { WEIR_DATABASE_URL: url } : {}) },
    store,
    db: reopened,
    kept: { output, sideFile, pointedAt, checkpoint, runningFile, youngOrphan, foreign },
    orphans: [failedOutput, oldOrphan],
    orphanBytes: 5000 + 7000,
    async close() {
      await reopened.close().catch(() => {});
      if (url) await dropPostgresDatabase(url);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function exists(store: FilesystemObjectStore, keys: readonly string[]): Promise<boolean[]> {
  return Promise.all(keys.map((key) => store.exists(key)));
}

describe.each(STORAGE_BACKENDS)('object gc (%s)', (backend) => {
  let fixture: Fixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('deletes old orphans and keeps outputs, checkpoints, running attempts and young orphans', async () => {
    fixture = await setUp(backend);
    const { store, db, kept, orphans } = fixture;
    const options = { dataSource: db.dataSource, store, safetyWindowMs: WINDOW };

    const dry = await collectGarbage({ ...options, dryRun: true });
    expect(dry).toMatchObject({
      dryRun: true,
      scanned: { count: 8, bytes: 3000 + 10 + 20 + 70_000 + 5000 + 400 + 7000 + 60 },
      referenced: { count: 5, bytes: 3000 + 10 + 20 + 70_000 + 400 },
      recent: { count: 1, bytes: 60 },
      deleted: { count: 2, bytes: fixture.orphanBytes },
      failed: { count: 0 },
    });
    expect(await exists(store, orphans)).toEqual([true, true]);

    const deleted: string[] = [];
    const real = await collectGarbage({ ...options, onOrphan: (o) => deleted.push(o.key) });
    expect(real.deleted).toEqual({ count: 2, bytes: fixture.orphanBytes });
    expect(deleted.sort()).toEqual([...orphans].sort());
    expect(await exists(store, orphans)).toEqual([false, false]);
    expect(await exists(store, Object.values(kept))).toEqual(Object.values(kept).map(() => true));

    // Nothing left to do; and once the young orphan ages past the window, it goes too.
    expect((await collectGarbage(options)).deleted.count).toBe(0);
    const later = await collectGarbage({ ...options, now: () => new Date(Date.now() + WINDOW) });
    expect(later.deleted).toEqual({ count: 1, bytes: 60 });
    expect(await store.exists(kept.youngOrphan!)).toBe(false);
    expect(await exists(store, [kept.output!, kept.checkpoint!, kept.runningFile!])).toEqual([true, true, true]);
  });

  it('`weir gc --dry-run` reports counts and bytes and deletes nothing; `weir gc` deletes', async () => {
    fixture = await setUp(backend);
    await fixture.db.close();
    const { store, env, orphans } = fixture;

    const dry = await runWeir(['gc', '--dry-run'], env);
    expect(dry.code, dry.output).toBe(0);
    for (const key of orphans) expect(dry.output).toContain(`would delete ${key}`);
    expect(dry.output).toContain(
      'would delete 2 orphaned objects (11.7 KiB); kept 5 referenced (71.7 KiB) and 1 orphan younger than 24h 0m (60 B); 8 objects scanned (83.5 KiB)',
    );
    expect(await exists(store, orphans)).toEqual([true, true]);

    const real = await runWeir(['gc', '--json'], env);
    expect(real.code, real.output).toBe(0);
    const report = JSON.parse(real.output) as { deleted: { count: number; bytes: number }; dryRun: boolean };
    expect(report).toMatchObject({ dryRun: false, deleted: { count: 2, bytes: fixture.orphanBytes } });
    expect(await exists(store, orphans)).toEqual([false, false]);
    expect(await exists(store, Object.values(fixture.kept))).toEqual(Object.values(fixture.kept).map(() => true));

    const invalid = await runWeir(['gc'], { ...env, WEIR_GC_SAFETY_WINDOW: 'soon' });
    expect(invalid.code).toBe(2);
    expect(invalid.output).toContain('WEIR_GC_SAFETY_WINDOW="soon" is invalid');
  });
});
