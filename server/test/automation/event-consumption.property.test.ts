import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutomationService } from '../../src/automation/automation-service.js';
import { recordObservation } from '../../src/automation/upstream-events.js';
import { AssetGraph } from '../../src/graph/asset-graph.js';
import { systemClock } from '../../src/runs/clock.js';
import { asset } from '../../src/sdk/asset.js';
import { eager } from '../../src/sdk/automation.js';
import { sourceAsset } from '../../src/sdk/source-asset.js';
import type { OpenedDatabase } from '../../src/storage/data-source.factory.js';
import { saveSnapshot } from '../../src/storage/snapshot-store.js';
import { openTestDatabase, STORAGE_BACKENDS } from '../support/databases.js';

const upstreams = [sourceAsset({ key: 'up/one' }), sourceAsset({ key: 'up/two' }), sourceAsset({ key: 'up/three' })];
const downstream = asset({
  key: 'down/merged',
  deps: { one: upstreams[0]!, two: upstreams[1]!, three: upstreams[2]! },
  automation: eager(),
  materialize: async () => 1,
});
const graph = AssetGraph.build([...upstreams, downstream]);

type Op = { kind: 'observe'; upstream: number } | { kind: 'evaluate'; by: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('observe' as const), upstream: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant('evaluate' as const), by: fc.integer({ min: 0, max: 2 }) }),
);

// Random interleavings of upstream commits and evaluations by three "processes" (services with
// their own queues, sharing the database): no event is lost, none is consumed twice.
describe.each(STORAGE_BACKENDS)('upstream event consumption under concurrency (%s)', (backend) => {
  let database: OpenedDatabase;
  let snapshotId: string;
  beforeAll(async () => {
    database = await openTestDatabase(backend);
    snapshotId = await saveSnapshot(database.dataSource, graph.hash, graph.toSnapshot());
  });
  afterAll(() => database.close());

  it('every delivered event is consumed by exactly one run, or dismissed at the first evaluation', async () => {
    const ds = () => database.dataSource;
    // A run "completes" at once, so the downstream is never left in progress.
    const start = async (runId: string) => {
      await ds().query(`UPDATE steps SET status = 'succeeded' WHERE run_id = $1`, [runId]);
      await ds().query(`UPDATE runs SET status = 'succeeded' WHERE id = $1`, [runId]);
    };
    const services = [0, 1, 2].map(
      () =>
        new AutomationService({
          dataSource: ds(),
          graph: () => graph,
          snapshotId: async () => snapshotId,
          clock: systemClock,
          start,
        }),
    );
    const observe = (upstream: number) =>
      ds().transaction((m) => recordObservation(m, graph, { assetKey: upstreams[upstream]!.key, source: 'test' }));

    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        async (groups) => {
          // Each case starts before the condition's first evaluation, which dismisses what is pending then.
          await ds().query(
            `TRUNCATE automation_inbox, observations, steps, runs, automation_condition_state, automation_condition_roots CASCADE`,
          );
          for (let i = 0; i < 3; i++) await observe(i);
          for (const group of groups) {
            // Each group runs concurrently; groups follow each other.
            await Promise.all(
              group.map((o) =>
                o.kind === 'observe'
                  ? observe(o.upstream)
                  : services[o.by]!.evaluate('down/merged', { kind: 'upstream' }),
              ),
            );
          }
          await services[0]!.evaluate('down/merged', { kind: 'upstream' });

          const inbox: Array<{ id: string; consumed_by_run_id: string | null; dismissed: boolean }> = await ds().query(
            `SELECT id::text AS id, consumed_by_run_id, dismissed_at IS NOT NULL AS dismissed FROM automation_inbox`,
          );
          const [{ observations }] = await ds().query(`SELECT count(*) AS observations FROM observations`);
          expect(inbox.length).toBe(Number(observations));
          // Consumed = by exactly one run, or dismissed (pending when the condition was first
          // evaluated: issue 14), never both, never neither.
          expect(inbox.every((row) => (row.consumed_by_run_id !== null) !== row.dismissed)).toBe(true);
          expect(inbox.filter((row) => row.dismissed).length).toBeGreaterThan(0);
          const runs: Array<{ events: Array<{ id: string }> }> = await ds().query(
            `SELECT trigger_detail->'events' AS events FROM runs WHERE trigger = 'upstream'`,
          );
          const consumedByRuns = runs.flatMap((run) => run.events.map((event) => event.id));
          expect(consumedByRuns.length).toBe(new Set(consumedByRuns).size);
          expect(new Set(consumedByRuns)).toEqual(new Set(inbox.filter((row) => !row.dismissed).map((row) => row.id)));
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
