import { describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/storage/data-source.factory.js';
import { AttemptEntity } from '../../src/storage/entities/attempt.entity.js';
import { MaterializationEntity } from '../../src/storage/entities/materialization.entity.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import { SixtyFourBitSizes1763727300000 } from '../../src/storage/migrations/1763727300000-sixty-four-bit-sizes.js';
import { persistentTarget, STORAGE_BACKENDS, type StorageBackend } from '../support/databases.js';
import { insertRunWithStep, newAttempt, newMaterialization, newRun, newStep } from '../support/storage-fixtures.js';

const THREE_GB = 3_000_000_000;
const INT32_MAX = 2 ** 31 - 1;

describe.each(STORAGE_BACKENDS)('64-bit sizes on %s', (backend: StorageBackend) => {
  it('a database at the previous schema upgrades without losing its rows, then holds sizes past 2^31', async () => {
    const { target, cleanup } = await persistentTarget(backend);
    try {
      // Take a migrated database back to the schema before the widening and fill it there.
      const old = await openDatabase(target);
      let ids: { materializationId: string; attemptId: string };
      try {
        // Later migrations are undone too: the widening is not necessarily the newest.
        const widening = MIGRATIONS.findIndex((migration) => migration === SixtyFourBitSizes1763727300000);
        for (let i = MIGRATIONS.length - 1; i >= widening; i--) {
          await old.dataSource.undoLastMigration({ transaction: 'each' });
        }
        expect(await columnTypes(old)).toEqual({ output_size: 'integer', retry_delay_ms: 'integer' });
        ids = await old.dataSource.transaction(async (m) => {
          // The run is written by hand: the entity now has columns (config) this old schema lacks.
          const run = newRun();
          await m.query(`INSERT INTO runs (id, status, trigger, selection, snapshot_id) VALUES ($1, $2, $3, $4, $5)`, [
            run.id,
            run.status,
            run.trigger,
            run.selection,
            run.snapshotId,
          ]);
          const step = await m.save(newStep(run.id));
          const attempt = await m.save(newAttempt(step, { status: 'failed', retryDelayMs: INT32_MAX }));
          // By hand too: later migrations add materialization columns (table_metadata).
          const materialization = newMaterialization(step, attempt, { outputSize: INT32_MAX });
          await m.query(
            `INSERT INTO materializations (id, asset_key, partition_key, run_id, step_id, attempt_id, data_version,
               value_type, output_inline, output_size) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
            [
              materialization.id,
              materialization.assetKey,
              materialization.partitionKey,
              materialization.runId,
              materialization.stepId,
              materialization.attemptId,
              materialization.dataVersion,
              materialization.valueType,
              JSON.stringify(materialization.outputInline),
              materialization.outputSize,
            ],
          );
          return { materializationId: materialization.id, attemptId: attempt.id };
        });
        // The failure this migration fixes, for the record.
        await expect(old.dataSource.query(`UPDATE materializations SET output_size = $1`, [THREE_GB])).rejects.toThrow(
          /out of range for type integer/,
        );
      } finally {
        await old.close();
      }

      const upgraded = await openDatabase(target);
      try {
        expect(await columnTypes(upgraded)).toEqual({ output_size: 'bigint', retry_delay_ms: 'bigint' });
        const [applied] = await upgraded.dataSource.query<Array<{ name: string }>>(
          `SELECT name FROM migrations ORDER BY id DESC LIMIT 1`,
        );
        expect(applied!.name).toBe(new MIGRATIONS[MIGRATIONS.length - 1]!().name);
        const materializations = upgraded.dataSource.getRepository(MaterializationEntity);
        const attempts = upgraded.dataSource.getRepository(AttemptEntity);
        expect((await materializations.findOneByOrFail({ id: ids.materializationId })).outputSize).toBe(INT32_MAX);
        expect((await attempts.findOneByOrFail({ id: ids.attemptId })).retryDelayMs).toBe(INT32_MAX);

        await materializations.update(ids.materializationId, { outputSize: THREE_GB });
        await attempts.update(ids.attemptId, { retryDelayMs: 30 * 86_400_000 });
        const read = await materializations.findOneByOrFail({ id: ids.materializationId });
        expect(read.outputSize).toBe(THREE_GB);
        expect(typeof read.outputSize).toBe('number');
        expect((await attempts.findOneByOrFail({ id: ids.attemptId })).retryDelayMs).toBe(2_592_000_000);
      } finally {
        await upgraded.close();
      }
    } finally {
      await cleanup();
    }
  });

  it('refuses, naming the column, a value a JavaScript number would round', async () => {
    const { target, cleanup } = await persistentTarget(backend);
    const db = await openDatabase(target);
    try {
      const { step, attemptId } = await db.dataSource.transaction(async (m) => {
        const { step } = await insertRunWithStep(m);
        const attempt = await m.save(newAttempt(step));
        return { step, attemptId: attempt.id };
      });
      const attempt = await db.dataSource.getRepository(AttemptEntity).findOneByOrFail({ id: attemptId });
      const materializations = db.dataSource.getRepository(MaterializationEntity);
      await expect(
        materializations.insert(newMaterialization(step, attempt, { outputSize: Number.MAX_SAFE_INTEGER + 1 })),
      ).rejects.toThrow(/materializations\.output_size is 9007199254740992.*MAX_SAFE_INTEGER/);

      const saved = await materializations.save(newMaterialization(step, attempt, { outputSize: 1 }));
      // Written behind the entity's back (another tool, a hand-edited row): 2^53 + 1.
      await db.dataSource.query(`UPDATE materializations SET output_size = 9007199254740993 WHERE id = $1`, [saved.id]);
      await expect(materializations.findOneByOrFail({ id: saved.id })).rejects.toMatchObject({
        name: 'UnsafeIntegerError',
        message: expect.stringContaining('materializations.output_size is 9007199254740993'),
      });
    } finally {
      await db.close();
      await cleanup();
    }
  });
});

async function columnTypes(db: OpenedDatabase): Promise<Record<string, string>> {
  const rows = await db.dataSource.query<Array<{ column_name: string; data_type: string }>>(
    `SELECT column_name, data_type FROM information_schema.columns
      WHERE (table_name = 'materializations' AND column_name = 'output_size')
         OR (table_name = 'attempts' AND column_name = 'retry_delay_ms')`,
  );
  return Object.fromEntries(rows.map((row) => [row.column_name, row.data_type]));
}
