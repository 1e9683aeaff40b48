import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredObject } from '../../src/io/object-store.port.js';
import { asset } from '../../src/sdk/asset.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

const MIB = 1024 * 1024;

// A real trigger on the real database refuses the materialization of one asset: the output is
// already stored when the commit fails, as with the 3 GB output that overflowed an integer.
const REFUSE_DOOMED = [
  `CREATE FUNCTION weir_test_refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF NEW.asset_key = 'doomed/export' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF;
       RETURN NEW;
     END $$`,
  `CREATE TRIGGER weir_test_refuse_doomed BEFORE INSERT ON materializations
     FOR EACH ROW EXECUTE FUNCTION weir_test_refuse_doomed()`,
];

describe.each(STORAGE_BACKENDS)('a commit that fails after the output was stored (%s)', (backend) => {
  let harness: EngineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('is a commit_failed attempt, retried per policy, and leaves no object behind but its checkpoints', async () => {
    const bigState = { page: 7, padding: 'x'.repeat(100_000) };
    const doomed = asset({
      key: 'doomed/export',
      materialize: async (ctx) => {
        // Over the inline limit: the checkpoint is an object, which the next attempt resumes from.
        if (ctx.resume === undefined) await ctx.checkpoint(bigState);
        await ctx.store.write('side/report.csv', 'a,b\n1,2\n');
        return Readable.from(Array.from({ length: 5 }, () => Buffer.alloc(MIB, 7)));
      },
    });
    const fine = asset({ key: 'fine/export', materialize: async () => Buffer.alloc(2 * MIB, 1) });
    harness = await startEngine(backend, [doomed, fine], {
      retryDefaults: { maxAttempts: 2, backoff: 'fixed', delay: '10ms', jitter: 'none' },
    });
    for (const sql of REFUSE_DOOMED) await harness.database.dataSource.query(sql);

    const run = await harness.engine.waitForRun(
      (await harness.engine.requestRun({ selection: '*', trigger: 'manual' })).id,
    );
    expect(run.status).toBe('failed');
    const step = run.steps.find((s) => s.assetKey === 'doomed/export')!;
    expect(step.status).toBe('failed');

    const attempts = await harness.database.dataSource.query<
      Array<{ number: number; status: string; error_kind: string; error_message: string }>
    >(`SELECT number, status, error_kind, error_message FROM attempts WHERE step_id = $1 ORDER BY number`, [step.id]);
    // Retried once (maxAttempts 2), as an engine failure: never as the asset's own error.
    expect(attempts.map((a) => [a.number, a.status, a.error_kind])).toEqual([
      [1, 'failed', 'commit_failed'],
      [2, 'failed', 'commit_failed'],
    ]);
    expect(attempts[0]!.error_message).toMatch(
      /^the output was stored but recording its materialization failed: .*refused by the test trigger/,
    );
    expect(await harness.count('materializations', `asset_key = 'doomed/export'`)).toBe(0);

    const objects = await listAll(harness);
    const ofDoomed = objects.filter((o) => o.key.startsWith(`runs/${run.id}/${step.id}/`));
    // Both attempts' outputs and files are gone; the one checkpoint object stays, referenced.
    expect(ofDoomed.map((o) => o.key.split('/').slice(4).join('/'))).toEqual(['checkpoints/1.json']);
    const [checkpoint] = await harness.database.dataSource.query<Array<{ uri: string }>>(
      `SELECT state_ref->>'uri' AS uri FROM checkpoints WHERE step_id = $1`,
      [step.id],
    );
    expect(checkpoint!.uri).toBe(harness.store.uriFor(ofDoomed[0]!.key));
    // The sibling committed: its output stays.
    const fineStep = run.steps.find((s) => s.assetKey === 'fine/export')!;
    expect(fineStep.status).toBe('succeeded');
    expect(objects.filter((o) => o.key.startsWith(`runs/${run.id}/${fineStep.id}/`))).toMatchObject([
      { size: 2 * MIB },
    ]);

    const events = await harness.database.dataSource.query<Array<{ message: string }>>(
      `SELECT message FROM event_log WHERE step_id = $1 AND message LIKE 'the commit failed%' ORDER BY id`,
      [step.id],
    );
    expect(events.map((e) => e.message)).toEqual([
      `the commit failed; the 2 object(s) the attempt stored (${5 * MIB + 8} bytes) were deleted`,
      `the commit failed; the 2 object(s) the attempt stored (${5 * MIB + 8} bytes) were deleted`,
    ]);
  });
});

async function listAll(harness: EngineHarness): Promise<StoredObject[]> {
  const objects: StoredObject[] = [];
  for await (const object of harness.store.list('runs/')) objects.push(object);
  return objects.sort((a, b) => a.key.localeCompare(b.key));
}
