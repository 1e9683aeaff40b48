import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import { eager } from '../../src/sdk/automation.js';
import { lastCompletePartition } from '../../src/partitions/partition-keys.js';
import { dailyPartitions } from '../../src/sdk/partitions.js';
import { startAutomation, type AutomationHarness } from '../support/automation-harness.js';
import { waitFor } from '../support/engine-harness.js';

const daily = dailyPartitions({ start: '2025-01-01' });
// The latest complete day: the window eager() acts on (issue 14). Not a manual clock: the
// reflection rule compares the attempt's start with the event's commit, both database times.
const P = lastCompletePartition(daily, new Date())!;

/**
 * A manual run of an asset (partition) ending while an evaluation of it reads its facts must not
 * be followed by an automated run of the same asset (partition) for the event the manual run
 * already reflected. The evaluation must read "in progress" before the reflected events and the
 * materializations: then it sees the manual run either still in progress (and waits) or ended
 * with its materialization (which consumes the event). Read after them, it can see the run ended
 * but not the materialization, and request a duplicate.
 *
 * The interleaving needs PostgreSQL (PGlite runs one statement at a time) and is forced there:
 * the test holds the asset's automation lock until the manual run is running, then an exclusive
 * lock on `observations`, which the evaluation reads after the reflected events and the
 * materializations (and which the manual run does not touch), until the manual run has ended.
 */
describe('facts and a manual run ending together (postgres)', () => {
  let h: AutomationHarness | undefined;
  let locks: pg.Client | undefined;
  let table: pg.Client | undefined;
  afterEach(async () => {
    await locks?.end();
    await table?.end();
    await h?.close();
    h = locks = table = undefined;
  });

  // The partitioned path had the race; the unpartitioned one reads in the same order on purpose.
  it.each([
    { shape: 'partitioned', partitions: daily, P, prefix: `[${P}] ` },
    { shape: 'unpartitioned', partitions: undefined, P: '', prefix: '' },
  ])('read "in progress" first: no duplicate automated run ($shape)', async ({ partitions, P, prefix }) => {
    // down's runs wait at the gate, so that the manual one is still running when needed.
    const manual = { started: false, release: () => {} };
    const gate = new Promise<void>((resolve) => (manual.release = resolve));
    const up = asset({ key: 'up', partitions, materialize: (ctx) => ctx.partition ?? 'up' });
    const down = asset({
      key: 'down',
      deps: { up },
      partitions,
      automation: eager(),
      materialize: async () => ((manual.started = true), await gate, 'down'),
    });
    h = await startAutomation('postgres', [up, down]);
    const url = h.database.target.kind === 'postgres' ? h.database.target.url : '';
    locks = new pg.Client({ connectionString: url });
    table = new pg.Client({ connectionString: url });
    await locks.connect();
    await table.connect();
    const admin = locks;
    const waiting = async (where: string): Promise<boolean> => {
      const { rows } = await admin.query(`SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND ${where}`);
      return rows[0].n > 0;
    };

    // 1. The evaluation of `down` that up [P]'s commit starts waits for the automation lock.
    await locks.query(`SELECT pg_advisory_lock(hashtext('weir-automation:down'))`);
    const upRun = await h.engine.waitForRun(
      (await h.engine.requestRun({ selection: 'up', ...(P ? { partitions: [P] } : {}), trigger: 'manual' })).id,
    );
    expect(upRun.status).toBe('succeeded');
    await waitFor(() => waiting(`locktype = 'advisory'`), 'the evaluation of down to wait for its lock');

    // 2. A manual run of down [P] starts after the event committed: it reflects the event.
    const manualRun = await h.engine.requestRun({
      selection: 'down',
      ...(P ? { partitions: [P] } : {}),
      trigger: 'manual',
    });
    await waitFor(async () => manual.started, 'the manual run of down [P] to start');

    // 3. The evaluation proceeds until it reads `observations`, and parks there.
    await table.query('BEGIN');
    await table.query('LOCK TABLE observations IN ACCESS EXCLUSIVE MODE');
    await locks.query(`SELECT pg_advisory_unlock(hashtext('weir-automation:down'))`);
    await waitFor(
      () => waiting(`locktype = 'relation' AND relation = 'observations'::regclass`),
      'the evaluation to park at its read of observations',
    );

    // 4. The manual run ends (materialization committed) while the evaluation is parked.
    manual.release();
    expect((await h.engine.waitForRun(manualRun.id)).status).toBe('succeeded');
    await table.query('COMMIT');
    await h.settle();

    const runs: Array<{ trigger: string; partition_key: string }> = await h.database.dataSource.query(
      `SELECT r.trigger, s.partition_key FROM runs r JOIN steps s ON s.run_id = r.id
        WHERE s.asset_key = 'down' ORDER BY r.created_at, r.id`,
    );
    expect(runs).toEqual([{ trigger: 'manual', partition_key: P }]);
    // The event was consumed by the manual run that reflected it.
    const inbox: Array<{ consumed_by_run_id: string | null }> = await h.database.dataSource.query(
      `SELECT consumed_by_run_id FROM automation_inbox WHERE downstream_key = 'down'`,
    );
    expect(inbox).toEqual([{ consumed_by_run_id: manualRun.id }]);
    const messages = (await h.decisions('down')).map((d) => d.message);
    expect(messages[0]).toBe(`${prefix}no run: waiting: down is already in progress`);
  });
});
