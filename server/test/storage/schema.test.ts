import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/storage/data-source.factory.js';
import { CheckpointEntity } from '../../src/storage/entities/checkpoint.entity.js';
import { DefinitionSnapshotEntity } from '../../src/storage/entities/definition-snapshot.entity.js';
import { EventEntity } from '../../src/storage/entities/event.entity.js';
import { MaterializationEntity } from '../../src/storage/entities/materialization.entity.js';
import { ObservationEntity } from '../../src/storage/entities/observation.entity.js';
import { RunEntity } from '../../src/storage/entities/run.entity.js';
import { StepEntity } from '../../src/storage/entities/step.entity.js';
import { AttemptEntity } from '../../src/storage/entities/attempt.entity.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import type { PayloadRef } from '../../src/sdk/payload-ref.js';
import { openTestDatabase, persistentTarget, STORAGE_BACKENDS, type StorageBackend } from '../support/databases.js';
import { insertRunWithStep, newAttempt, newMaterialization, newRun, newStep } from '../support/storage-fixtures.js';

const TABLES = [
  'alert_deliveries',
  'attempts',
  'backfill_partitions',
  'backfills',
  'check_results',
  'checkpoints',
  'definition_snapshots',
  'dynamic_partitions',
  'event_log',
  'freshness_states',
  'materializations',
  'observations',
  'runs',
  'steps',
];

describe.each(STORAGE_BACKENDS)('storage schema on %s', (backend: StorageBackend) => {
  describe('migrations', () => {
    it('apply on an empty database and do not run again on re-open; data survives', async () => {
      const { target, cleanup } = await persistentTarget(backend);
      try {
        const first = await openDatabase(target);
        const runId = randomUUID();
        try {
          const tables = await first.dataSource.query<Array<{ table_name: string }>>(
            `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
          );
          expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining([...TABLES, 'migrations']));
          expect(await appliedMigrations(first)).toEqual(MIGRATIONS.map((m) => new m().name));
          await first.dataSource.getRepository(RunEntity).save(newRun({ id: runId }));
        } finally {
          await first.close();
        }

        const second = await openDatabase(target);
        try {
          expect(await appliedMigrations(second)).toEqual(MIGRATIONS.map((m) => new m().name));
          expect(await second.dataSource.showMigrations()).toBe(false);
          expect(await second.dataSource.getRepository(RunEntity).findOneBy({ id: runId })).not.toBeNull();
        } finally {
          await second.close();
        }
      } finally {
        await cleanup();
      }
    });
  });

  describe('entities and constraints', () => {
    let db: OpenedDatabase;
    beforeAll(async () => {
      db = await openTestDatabase(backend);
    });
    afterAll(async () => {
      await db?.close();
    });

    it('stores and reads back runs, steps and attempts', async () => {
      const ds = db.dataSource;
      const run = await ds.getRepository(RunEntity).save(
        newRun({
          trigger: 'schedule',
          triggerDetail: { tick: '2025-01-01T00:00:00Z' },
          idempotencyKey: randomUUID(),
        }),
      );
      const up = await ds.getRepository(StepEntity).save(newStep(run.id, { assetKey: 'bronze/orders' }));
      const down = await ds
        .getRepository(StepEntity)
        .save(newStep(run.id, { assetKey: 'silver/orders', partitionKey: '2025-01-01', dependsOn: [up.id] }));
      const failedAt = new Date('2025-01-01T00:00:05.123Z');
      const attempt = await ds.getRepository(AttemptEntity).save(
        newAttempt(up, {
          status: 'failed',
          endedAt: failedAt,
          errorKind: 'user',
          errorMessage: 'boom',
          errorStack: 'Error: boom\n    at materialize',
          retryDelayMs: 1500,
        }),
      );

      const readRun = await ds.getRepository(RunEntity).findOneByOrFail({ id: run.id });
      expect(readRun).toMatchObject({
        status: 'queued',
        trigger: 'schedule',
        triggerDetail: { tick: '2025-01-01T00:00:00Z' },
      });
      expect(readRun.createdAt).toBeInstanceOf(Date);
      const readDown = await ds.getRepository(StepEntity).findOneByOrFail({ id: down.id });
      expect(readDown).toMatchObject({ partitionKey: '2025-01-01', dependsOn: [up.id], attemptCount: 0 });
      const readAttempt = await ds.getRepository(AttemptEntity).findOneByOrFail({ id: attempt.id });
      expect(readAttempt).toMatchObject({ number: 1, errorKind: 'user', retryDelayMs: 1500 });
      expect(readAttempt.endedAt?.toISOString()).toBe(failedAt.toISOString());
    });

    it('stores materializations with inline JSON and with a payload reference', async () => {
      const ds = db.dataSource;
      const { step: inlineStep } = await insertRunWithStep(ds.manager);
      const { step: refStep } = await insertRunWithStep(ds.manager);
      const inlineOutput = { rows: [{ id: 1, name: 'ä' }], nested: { list: [1, 2.5, null, true] } };
      const ref: PayloadRef = {
        kind: 'payload-ref',
        uri: 'file:///tmp/.weir/objects/runs/r/attempts/a/output.json',
        size: 10_485_760,
        sha256: 'b'.repeat(64),
        contentType: 'application/json',
      };
      const repo = ds.getRepository(MaterializationEntity);
      const attemptA = await ds.getRepository(AttemptEntity).save(newAttempt(inlineStep));
      const attemptB = await ds.getRepository(AttemptEntity).save(newAttempt(refStep));
      const inline = await repo.save(
        newMaterialization(inlineStep, attemptA, {
          outputInline: inlineOutput,
          metadata: { rowCount: 1, source: 'x' },
        }),
      );
      const byRef = await repo.save(
        newMaterialization(refStep, attemptB, {
          valueType: 'ref',
          outputInline: null,
          outputRef: ref,
          outputSize: ref.size,
        }),
      );

      expect(await repo.findOneByOrFail({ id: inline.id })).toMatchObject({
        outputInline: inlineOutput,
        outputRef: null,
        metadata: { rowCount: 1, source: 'x' },
      });
      expect(await repo.findOneByOrFail({ id: byRef.id })).toMatchObject({ outputInline: null, outputRef: ref });
    });

    it('stores checkpoints, definition snapshots, observations and events', async () => {
      const ds = db.dataSource;
      const { run, step } = await insertRunWithStep(ds.manager);
      const attempt = await ds.getRepository(AttemptEntity).save(newAttempt(step));
      const checkpoint = await ds.getRepository(CheckpointEntity).save(
        Object.assign(new CheckpointEntity(), {
          id: randomUUID(),
          stepId: step.id,
          attemptId: attempt.id,
          stateInline: { offset: 42 },
          stateRef: null,
        }),
      );
      const snapshot = await ds.getRepository(DefinitionSnapshotEntity).save(
        Object.assign(new DefinitionSnapshotEntity(), {
          id: randomUUID(),
          hash: randomUUID(),
          assets: [
            {
              key: 'bronze/orders',
              kind: 'asset',
              deps: {},
              group: 'bronze',
              owners: ['data@example.com'],
              tags: {},
              description: null,
              codeVersion: '1',
              retry: null,
              definedAt: 'assets/bronze.ts:3',
            },
          ],
        }),
      );
      const observation = await ds.getRepository(ObservationEntity).save(
        Object.assign(new ObservationEntity(), {
          id: randomUUID(),
          assetKey: 'source/crm',
          partitionKey: '',
          dataVersion: 'v7',
          metadata: { rows: 3 },
          source: 'api',
        }),
      );
      const events = ds.getRepository(EventEntity);
      const first = await events.save(events.create({ type: 'run.started', runId: run.id }));
      const second = await events.save(
        events.create({ type: 'step.materialized', level: 'info', runId: run.id, stepId: step.id, data: { n: 1 } }),
      );

      expect(await ds.getRepository(CheckpointEntity).findOneByOrFail({ id: checkpoint.id })).toMatchObject({
        stateInline: { offset: 42 },
        stateRef: null,
      });
      expect((await ds.getRepository(DefinitionSnapshotEntity).findOneByOrFail({ id: snapshot.id })).assets).toEqual(
        snapshot.assets,
      );
      expect(await ds.getRepository(ObservationEntity).findOneByOrFail({ id: observation.id })).toMatchObject({
        dataVersion: 'v7',
        metadata: { rows: 3 },
      });
      const logged = await events.find({ where: { runId: run.id }, order: { id: 'ASC' } });
      expect(logged.map((e) => e.type)).toEqual(['run.started', 'step.materialized']);
      expect(logged[0]).toMatchObject({ level: 'info', message: '', data: {} });
      // bigint ids: `pg` returns them as strings ('1'); PGlite's driver returns JS numbers (1).
      // Callers that compare or serialize ids must normalize; compare numerically here.
      expect(Number(second.id)).toBeGreaterThan(Number(first.id));
      expect(logged.map((e) => Number(e.id))).toEqual([Number(first.id), Number(second.id)]);
    });

    it('refuses a second materialization of the same step', async () => {
      const ds = db.dataSource;
      const { step } = await insertRunWithStep(ds.manager);
      const attempt = await ds.getRepository(AttemptEntity).save(newAttempt(step));
      const repo = ds.getRepository(MaterializationEntity);
      await repo.insert(newMaterialization(step, attempt));
      await expect(repo.insert(newMaterialization(step, attempt))).rejects.toThrow(/materializations_step_id_uq/);
      expect(await repo.countBy({ stepId: step.id })).toBe(1);
    });

    it('refuses a duplicate (run, asset, partition) step and a duplicate attempt number', async () => {
      const ds = db.dataSource;
      const { run, step } = await insertRunWithStep(ds.manager, { assetKey: 'gold/revenue', partitionKey: 'p1' });
      const steps = ds.getRepository(StepEntity);
      await expect(steps.insert(newStep(run.id, { assetKey: 'gold/revenue', partitionKey: 'p1' }))).rejects.toThrow(
        /steps_run_asset_partition_uq/,
      );
      await steps.insert(newStep(run.id, { assetKey: 'gold/revenue', partitionKey: 'p2' }));
      const attempts = ds.getRepository(AttemptEntity);
      await attempts.insert(newAttempt(step, { number: 1 }));
      await expect(attempts.insert(newAttempt(step, { number: 1 }))).rejects.toThrow(/attempts_step_number_uq/);
    });

    it('keeps the event log append-only: INSERT works, UPDATE and DELETE are refused', async () => {
      const ds = db.dataSource;
      const events = ds.getRepository(EventEntity);
      const event = await events.save(events.create({ type: 'log', message: 'original' }));
      await expect(events.update({ id: event.id }, { message: 'rewritten' })).rejects.toThrow(/append-only/);
      await expect(events.delete({ id: event.id })).rejects.toThrow(/append-only/);
      await expect(ds.query(`delete from event_log`)).rejects.toThrow(/append-only/);
      expect(await events.findOneByOrFail({ id: event.id })).toMatchObject({ message: 'original' });
      await events.insert({ type: 'log', message: 'still appendable' });
      expect(await events.countBy({ type: 'log' })).toBe(2);
    });
  });
});

async function appliedMigrations(db: OpenedDatabase): Promise<string[]> {
  const rows = await db.dataSource.query<Array<{ name: string }>>(`select name from migrations order by id`);
  return rows.map((r) => r.name);
}
