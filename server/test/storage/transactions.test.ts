import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../../src/storage/data-source.factory.js';
import { EventEntity } from '../../src/storage/entities/event.entity.js';
import { ObservationEntity } from '../../src/storage/entities/observation.entity.js';
import { RunEntity } from '../../src/storage/entities/run.entity.js';
import { StepEntity } from '../../src/storage/entities/step.entity.js';
import { openTestDatabase, STORAGE_BACKENDS, type StorageBackend } from '../support/databases.js';
import { newRun, newStep, sleep } from '../support/storage-fixtures.js';

/** Thrown on purpose to roll a transaction back. */
class Rollback extends Error {}

describe.each(STORAGE_BACKENDS)('concurrent transactions on %s', (backend: StorageBackend) => {
  let db: OpenedDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("a rollback undoes only its own transaction's writes, never a concurrent one's", async () => {
    const ds = db.dataSource;
    const timeline: string[] = [];
    let signalBWrote!: () => void;
    const bWrote = new Promise<void>((resolve) => (signalBWrote = resolve));
    const aRunIds: string[] = [];
    const bRunIds: string[] = [];

    const writeRun = async (manager: EntityManager, ids: string[], who: string, i: number) => {
      const run = await manager.save(newRun({ selection: `${who}-${i}` }));
      await manager.save(newStep(run.id, { assetKey: `${who}/asset` }));
      await manager.insert(EventEntity, { type: 'run.created', runId: run.id });
      ids.push(run.id);
      timeline.push(`${who}:write${i}`);
    };

    const a = ds.transaction(async (manager) => {
      await writeRun(manager, aRunIds, 'A', 0);
      // With a real pool, B writes meanwhile. PGlite's pool of one makes B wait for A's whole
      // transaction, so there the wait times out and nothing interleaves, which is the point.
      await Promise.race([bWrote, sleep(250)]);
      await writeRun(manager, aRunIds, 'A', 1);
      await sleep(5);
      timeline.push('A:rollback');
      throw new Rollback('A fails');
    });
    const b = ds.transaction(async (manager) => {
      await writeRun(manager, bRunIds, 'B', 0);
      signalBWrote();
      // Stay open across A's rollback (when they truly run side by side).
      for (let i = 1; i < 4; i++) {
        await sleep(20);
        await writeRun(manager, bRunIds, 'B', i);
      }
      timeline.push('B:commit');
    });
    const [resultA, resultB] = await Promise.allSettled([a, b]);

    expect(resultA.status).toBe('rejected');
    expect((resultA as PromiseRejectedResult).reason).toBeInstanceOf(Rollback);
    expect(resultB.status).toBe('fulfilled');
    expect(aRunIds).toHaveLength(2);
    expect(bRunIds).toHaveLength(4);
    if (backend === 'postgres') {
      // Proves the scenario really happened: A rolled back while B's transaction held writes.
      expect(timeline.indexOf('B:write0')).toBeLessThan(timeline.indexOf('A:rollback'));
      expect(timeline.indexOf('A:rollback')).toBeLessThan(timeline.indexOf('B:commit'));
    }

    const allIds = [...aRunIds, ...bRunIds];
    const runs = await ds.getRepository(RunEntity).findBy({ id: In(allIds) });
    expect(runs.map((r) => r.id).sort()).toEqual([...bRunIds].sort());
    const steps = await ds.getRepository(StepEntity).findBy({ runId: In(allIds) });
    expect(steps.map((s) => s.runId).sort()).toEqual([...bRunIds].sort());
    const events = await ds.getRepository(EventEntity).findBy({ runId: In(allIds) });
    expect(events.map((e) => e.runId).sort()).toEqual([...bRunIds].sort());
  });

  it('of 20 concurrent transactions exactly the committed ones survive', async () => {
    const ds = db.dataSource;
    const tag = randomUUID();
    const ROWS = 3;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, tx) =>
        ds.transaction(async (manager) => {
          for (let row = 0; row < ROWS; row++) {
            await manager.insert(ObservationEntity, {
              id: randomUUID(),
              assetKey: `${tag}/tx${tx}/row${row}`,
              source: 'test',
            });
            await sleep((tx * 7 + row * 3) % 5);
          }
          if (tx % 2 === 1) throw new Rollback(`tx${tx}`);
        }),
      ),
    );

    expect(results.map((r) => r.status)).toEqual(
      Array.from({ length: 20 }, (_, tx) => (tx % 2 === 1 ? 'rejected' : 'fulfilled')),
    );
    const survivors = await ds
      .getRepository(ObservationEntity)
      .createQueryBuilder('o')
      .where('o.asset_key like :prefix', { prefix: `${tag}/%` })
      .getMany();
    const expected = Array.from({ length: 20 }, (_, tx) => tx)
      .filter((tx) => tx % 2 === 0)
      .flatMap((tx) => Array.from({ length: ROWS }, (_, row) => `${tag}/tx${tx}/row${row}`));
    expect(survivors.map((o) => o.assetKey).sort()).toEqual(expected.sort());
  });
});
