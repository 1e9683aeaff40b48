import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { asset, type AnyAsset } from '../../src/sdk/asset.js';
import { startEngine, waitFor, type EngineHarness } from '../support/engine-harness.js';

/** The advisory lock the test holds to park a transaction at its commit. */
const PARK = 4242;

/**
 * A step failing and its sibling succeeding at the same moment must still end the run. The race
 * needs PostgreSQL (PGlite runs one transaction at a time), so the interleaving is forced there:
 * a deferred trigger parks the failure's re-evaluation at its commit, after it has counted the
 * run's steps (the sibling still running), until the sibling has tried to record its success.
 */
describe('a failure and a success ending together (postgres)', () => {
  let harness: EngineHarness | undefined;
  let admin: pg.Client | undefined;
  afterEach(async () => {
    await admin?.end();
    await harness?.close();
    admin = harness = undefined;
  });

  it('end the run, whichever of them commits last', async () => {
    const siblingParked = { reached: false };
    const source = asset({ key: 'source', materialize: async () => 1 });
    const gate = asset({
      key: 'gate',
      deps: { source },
      materialize: async () => {
        throw new Error('gate refuses');
      },
    });
    const after = asset({ key: 'after', deps: { gate }, materialize: async () => 2 });
    const sibling = asset({
      key: 'sibling',
      deps: { source },
      materialize: async () => {
        // Succeeds only once the failure's re-evaluation is parked at its commit.
        await waitFor(() => advisoryWaiters().then((n) => n > 0), 'the re-evaluation to park');
        siblingParked.reached = true;
        return 'ok';
      },
    });
    harness = await startEngine('postgres', [source, gate, after, sibling] as AnyAsset[]);
    admin = new pg.Client({
      connectionString: harness.database.target.kind === 'postgres' ? harness.database.target.url : '',
    });
    await admin.connect();
    const client = admin;
    async function advisoryWaiters(): Promise<number> {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND NOT granted`,
        [PARK],
      );
      return rows[0].n;
    }
    await client.query(`
      CREATE FUNCTION park_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_advisory_xact_lock(${PARK}); RETURN NULL; END $$`);
    await client.query(`
      CREATE CONSTRAINT TRIGGER park_skips AFTER INSERT ON event_log DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW WHEN (NEW.type = 'step.skipped') EXECUTE FUNCTION park_at_commit()`);
    await client.query(`SELECT pg_advisory_lock($1)`, [PARK]);

    const run = await harness.engine.requestRun({ selection: '*', trigger: 'manual' });
    // The sibling has either recorded its success (the run row not held) or waits for the
    // parked transaction; then the park ends.
    await waitFor(async () => {
      if (!siblingParked.reached) return false;
      const { rows } = await client.query(
        `SELECT (SELECT status FROM steps WHERE run_id = $1 AND asset_key = 'sibling') AS sibling,
                (SELECT count(*)::int FROM pg_locks WHERE NOT granted AND locktype <> 'advisory') AS waiting`,
        [run.id],
      );
      return rows[0].sibling === 'succeeded' || rows[0].waiting > 0;
    }, 'the sibling to record its success or wait for the run row');
    await client.query(`SELECT pg_advisory_unlock($1)`, [PARK]);

    const ended = await waitFor(
      async () => {
        const view = await harness!.engine.getRun(run.id);
        return view && view.status !== 'running' ? view : undefined;
      },
      'the run to end',
      20_000,
    ).catch(async () => harness!.engine.getRun(run.id));
    expect(ended!.status).toBe('failed');
    expect(Object.fromEntries(ended!.steps.map((s) => [s.assetKey, s.status]))).toEqual({
      source: 'succeeded',
      gate: 'failed',
      after: 'skipped',
      sibling: 'succeeded',
    });
  });
});
