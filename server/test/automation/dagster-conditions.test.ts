import { afterEach, describe, expect, it } from 'vitest';
import { CronScheduler } from '../../src/automation/cron-scheduler.js';
import { PartitionWindowTimer } from '../../src/automation/partition-window-timer.js';
import type { EvaluationNode } from '../../src/automation/evaluation-tree.js';
import { deliverUpstreamEvent } from '../../src/automation/upstream-events.js';
import { AssetGraph } from '../../src/graph/asset-graph.js';
import { asset } from '../../src/sdk/asset.js';
import { and, codeVersionChanged, eager, inLatestTimeWindow, onCron, onMissing, or } from '../../src/sdk/automation.js';
import { dailyPartitions, hourlyPartitions, staticPartitions } from '../../src/sdk/partitions.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startAutomation, type AutomationHarness } from '../support/automation-harness.js';
import { waitFor } from '../support/engine-harness.js';

/**
 * Issue 14, the condition trees: each behaviour of Dagster's declarative automation that Weir
 * matches, driven by real commits and the test clock, on PGlite and PostgreSQL.
 */
describe.each(STORAGE_BACKENDS)('automation condition trees (%s)', (backend) => {
  let h: AutomationHarness | undefined;
  let scheduler: CronScheduler | PartitionWindowTimer | undefined;
  afterEach(async () => {
    scheduler?.stop();
    scheduler = undefined;
    await h?.close();
    h = undefined;
  });

  const materialize = async (selection: string, partitions?: string[]) => {
    await h!.engine.waitForRun(
      (await h!.engine.requestRun({ selection, ...(partitions ? { partitions } : {}), trigger: 'manual' })).id,
    );
    await h!.settle();
  };
  const partitionsRun = async (assetKey: string) =>
    (
      await h!.database.dataSource.query(
        `SELECT s.partition_key FROM steps s JOIN runs r ON r.id = s.run_id
          WHERE s.asset_key = $1 AND r.trigger <> 'manual' ORDER BY r.created_at, r.id`,
        [assetKey],
      )
    ).map((row: { partition_key: string }) => row.partition_key);

  it('the first evaluation fires nothing: events pending then are dismissed, not run, not lost', async () => {
    const a = asset({ key: 'a', materialize: async () => 1 });
    const b = asset({ key: 'b', deps: { a }, automation: eager(), materialize: async () => 2 });
    h = await startAutomation(backend, [a, b], { manualClock: true, evaluateAtStart: false });
    // a's commit is b's first evaluation: nothing fires, the event is dismissed.
    await materialize('a');
    expect(await h.runsOf('b')).toEqual([]);
    const [first] = await h.decisions('b');
    expect(first!.data).toMatchObject({ initialEvaluation: true, dismissedEventIds: [expect.any(String)] });
    expect(await h.count('automation_inbox', 'dismissed_at IS NOT NULL AND consumed_by_run_id IS NULL')).toBe(1);
    // The next update is one since the condition was first evaluated: it runs, once.
    await materialize('a');
    expect((await h.runsOf('b')).map((r) => r.trigger)).toEqual(['upstream']);

    // A changed condition is a first evaluation again: what waited for the old one is dismissed.
    const graph = AssetGraph.build([a, b]);
    await h.database.dataSource.transaction((m) => deliverUpstreamEvent(m, graph, { assetKey: 'a', partitionKey: '' }));
    const changed = asset({
      key: 'b',
      deps: { a },
      automation: and(eager(), inLatestTimeWindow()),
      materialize: async () => 2,
    });
    await h.engine.setGraph(AssetGraph.build([a, changed]));
    expect(await h.automation.evaluateAll()).toMatchObject([{ assetKey: 'b', requested: false }]);
    expect(await h.count('automation_inbox', 'consumed_at IS NULL')).toBe(0);
    expect(await h.count('automation_inbox', 'dismissed_at IS NOT NULL')).toBe(2);
    expect(await h.runsOf('b')).toHaveLength(1);
  });

  it('eager() on hourly partitions acts on the latest hour only', async () => {
    // The manual clock starts at 2026-01-01T00:00Z: the latest complete hour is 2025-12-31T23.
    const hours = hourlyPartitions({ start: '2025-12-31T00' });
    const up = asset({ key: 'up', partitions: hours, materialize: (ctx) => ctx.partition });
    const down = asset({ key: 'down', partitions: hours, deps: { up }, automation: eager(), materialize: () => 1 });
    h = await startAutomation(backend, [up, down], { manualClock: true });
    await materialize('up', ['2025-12-31T21', '2025-12-31T22', '2025-12-31T23']);
    expect(await partitionsRun('down')).toEqual(['2025-12-31T23']);
    const older = (await h.decisions('down')).filter((d) => d.data.partition === '2025-12-31T22').at(-1)!;
    expect(older.message).toBe(
      '[2025-12-31T22] no run: 2025-12-31T22 is older than the latest complete time window (2025-12-31T23)',
    );
    // An hour later the next hour is the latest: its update runs it; the old ones still do not.
    h.clock!.advance(60 * 60_000);
    await materialize('up', ['2025-12-31T22', '2026-01-01T00']);
    expect(await partitionsRun('down')).toEqual(['2025-12-31T23', '2026-01-01T00']);
  });

  it('or(eager(), onMissing()) backfills neither history nor static keys added later beyond onMissing', async () => {
    const keys = (list: string[]) => staticPartitions(list);
    const both = (list: string[]) =>
      asset({ key: 'both', partitions: keys(list), automation: or(eager(), onMissing()), materialize: () => 1 });
    const eagerOnly = (list: string[]) =>
      asset({ key: 'eager_only', partitions: keys(list), automation: eager(), materialize: () => 1 });
    // 30 complete days before the manual clock's 2026-01-01, none materialized.
    const history = asset({
      key: 'history',
      partitions: dailyPartitions({ start: '2025-12-02' }),
      automation: or(eager(), onMissing()),
      materialize: () => 1,
    });
    h = await startAutomation(backend, [both(['a', 'b']), eagerOnly(['a', 'b']), history], { manualClock: true });
    h.clock!.advance(60_000);
    expect((await h.automation.evaluateAll()).some((d) => d.requested)).toBe(false);
    expect(await h.count('runs')).toBe(0);
    // A key added to the static set: newly missing for onMissing(), never an eager() backfill.
    await h.engine.setGraph(AssetGraph.build([both(['a', 'b', 'c']), eagerOnly(['a', 'b', 'c']), history]));
    const decisions = await h.automation.evaluateAll();
    expect(decisions.filter((d) => d.requested).map((d) => d.assetKey)).toEqual(['both']);
    expect(decisions.find((d) => d.assetKey === 'both')!.reasons).toEqual([
      '[a] missing since before the previous evaluation',
      '[a] no upstream updated since the last run',
      '[b] missing since before the previous evaluation',
      '[b] no upstream updated since the last run',
      '[c] newly missing (a partition that did not exist before)',
    ]);
    await h.settle();
    expect(await partitionsRun('both')).toEqual(['c']);
    expect(await partitionsRun('eager_only')).toEqual([]);
    expect(await partitionsRun('history')).toEqual([]);
    expect((await h.automation.evaluateAll()).some((d) => d.requested)).toBe(false);
  });

  it('onCron() waits after its tick until every dep updated since the tick, then fires once until the next tick', async () => {
    const fx = asset({ key: 'bronze/fx', materialize: async () => 1 });
    const orders = asset({ key: 'bronze/orders', materialize: async () => 2 });
    const report = asset({
      key: 'gold/report',
      deps: { fx, orders },
      automation: onCron('0 6 * * *'),
      materialize: async () => 3,
    });
    h = await startAutomation(backend, [fx, orders, report], { manualClock: true });
    const harness = h;
    scheduler = new CronScheduler({
      dataSource: harness.database.dataSource,
      graph: () => harness.engine.graph,
      clock: harness.clock!,
      onTick: (key, condition, tick) =>
        harness.automation.evaluate(key, { kind: 'cron', expression: condition.expression, tick }),
      log: () => {},
    });
    await scheduler.start();
    const reportRuns = async () =>
      (
        await harness.database.dataSource.query(
          `SELECT r.trigger, r.trigger_detail->>'tick' AS tick FROM runs r JOIN steps s ON s.run_id = r.id
            WHERE s.asset_key = 'gold/report' ORDER BY r.created_at`,
        )
      ).map((row: { trigger: string; tick: string }) => `${row.trigger}@${row.tick}`);
    const lastReason = async () => (await harness.decisions('gold/report')).at(-1)!.message;

    // Updates before the tick do not count for it.
    await materialize('bronze/fx');
    await materialize('bronze/orders');
    // The tick passes (the scheduler's timer wakes the condition): it waits for both deps.
    h.clock!.advance(6 * 60 * 60_000);
    await waitFor(async () => (await lastReason()).includes('since the 2026-01-01T06:00:00.000Z tick'), 'the wait');
    expect(await lastReason()).toContain('waiting for dep bronze/fx, bronze/orders since the 2026-01-01T06:00');
    // Each upstream landing re-evaluates it (no polling): one is not enough, both are.
    await materialize('bronze/fx');
    expect(await lastReason()).toContain('waiting for dep bronze/orders since the 2026-01-01T06:00:00.000Z tick');
    expect(await reportRuns()).toEqual([]);
    await materialize('bronze/orders');
    expect(await reportRuns()).toEqual(['schedule@2026-01-01T06:00:00.000Z']);
    // Not again until the next tick, whatever lands.
    await materialize('bronze/fx');
    await materialize('bronze/orders');
    expect(await reportRuns()).toEqual(['schedule@2026-01-01T06:00:00.000Z']);
    // The next tick waits for updates since it, then fires once.
    h.clock!.advance(24 * 60 * 60_000);
    await waitFor(async () => (await lastReason()).includes('since the 2026-01-02T06:00:00.000Z tick'), 'tick 2');
    await materialize('bronze/orders');
    await materialize('bronze/fx');
    expect(await reportRuns()).toEqual(['schedule@2026-01-01T06:00:00.000Z', 'schedule@2026-01-02T06:00:00.000Z']);
  });

  it('onMissing() on a daily asset acts at the window end, woken by the partition-boundary timer alone', async () => {
    const report = asset({
      key: 'gold/daily',
      partitions: dailyPartitions({ start: '2025-12-01' }),
      automation: onMissing(),
      materialize: (ctx) => ctx.partition,
    });
    h = await startAutomation(backend, [report], { manualClock: true });
    const harness = h;
    scheduler = new PartitionWindowTimer({
      graph: () => harness.engine.graph,
      clock: harness.clock!,
      onWindowEnd: (key, end) => harness.automation.evaluate(key, { kind: 'window', end }),
      log: () => {},
    });
    await scheduler.start();
    expect(scheduler.scheduled()).toBe(1);
    // Nothing else evaluates the asset: each window end requests the partition that just ended.
    h.clock!.advance(24 * 60 * 60_000);
    await waitFor(async () => (await partitionsRun('gold/daily')).length === 1, 'the 2026-01-01 window end');
    h.clock!.advance(24 * 60 * 60_000);
    await waitFor(async () => (await partitionsRun('gold/daily')).length === 2, 'the 2026-01-02 window end');
    await h.settle();
    expect(await partitionsRun('gold/daily')).toEqual(['2026-01-01', '2026-01-02']);
    const decisions = await h.decisions('gold/daily');
    expect(decisions.map((d) => d.data.trigger)).toEqual([
      { kind: 'window', end: '2026-01-02T00:00:00.000Z' },
      { kind: 'window', end: '2026-01-03T00:00:00.000Z' },
    ]);
  });

  it('in-progress runs suppress duplicates: events landing meanwhile make one more run after it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const a = asset({ key: 'a', materialize: async () => 1 });
    const b = asset({
      key: 'b',
      deps: { a },
      automation: eager(),
      materialize: async () => (started++ === 0 ? await gate : undefined, 2),
    });
    h = await startAutomation(backend, [a, b], { manualClock: true });
    const run = async () =>
      h!.engine.waitForRun((await h!.engine.requestRun({ selection: 'a', trigger: 'manual' })).id);
    await run();
    await waitFor(async () => started === 1, 'b to start and hold');
    await run();
    await run();
    await waitFor(async () => (await h!.decisions('b')).length >= 3, 'both later events to be evaluated');
    expect((await h.runsOf('b')).map((r) => r.status)).toEqual(['running']);
    expect((await h.decisions('b')).slice(1).map((d) => d.message)).toEqual([
      'no run: waiting: b is already in progress',
      'no run: waiting: b is already in progress',
    ]);
    release();
    await h.settle();
    const runs = await h.runsOf('b');
    expect(runs.map((r) => `${r.trigger}:${r.status}`)).toEqual(['upstream:succeeded', 'upstream:succeeded']);
    const requested = (await h.decisions('b')).filter((d) => d.type === 'automation.requested');
    expect(requested.map((d) => (d.data.consumedEventIds as string[]).length)).toEqual([1, 2]);
  });

  it('eager().ignore(dep): updates of an ignored dep trigger nothing, the others do', async () => {
    const orders = asset({ key: 'bronze/orders', materialize: async () => 1 });
    const noisy = asset({ key: 'bronze/heartbeat', materialize: async () => 2 });
    const report = asset({
      key: 'gold/report',
      deps: { orders, noisy },
      automation: eager().ignore(noisy),
      materialize: async () => 3,
    });
    h = await startAutomation(backend, [orders, noisy, report], { manualClock: true });
    // ignore() applies to every dep operand of eager() (updated, missing, in progress), as in Dagster.
    await materialize('bronze/heartbeat');
    expect(await h.runsOf('gold/report')).toEqual([]);
    const declined = (await h.decisions('gold/report')).at(-1)!.message;
    expect(declined).toContain('no upstream updated since the last run');
    await materialize('bronze/orders');
    expect((await h.runsOf('gold/report')).map((r) => `${r.trigger}:${r.status}`)).toEqual(['upstream:succeeded']);
    await materialize('bronze/heartbeat');
    await materialize('bronze/heartbeat');
    expect(await h.runsOf('gold/report')).toHaveLength(1);
  });

  it('codeVersionChanged() compares with the previous evaluation: a change fires once', async () => {
    const model = (codeVersion: string) =>
      asset({ key: 'ml/model', codeVersion, automation: codeVersionChanged(), materialize: async () => codeVersion });
    h = await startAutomation(backend, [model('v1')], { manualClock: true });
    await materialize('ml/model');
    expect((await h.automation.evaluateAll())[0]).toMatchObject({ requested: false });
    await h.engine.setGraph(AssetGraph.build([model('v2')]));
    expect((await h.automation.evaluateAll())[0]).toMatchObject({
      requested: true,
      reasons: ['code version changed from v1 to v2'],
    });
    // Evaluated again before that run materialized: the cursor moved, no second run.
    expect((await h.automation.evaluateAll())[0]).toMatchObject({
      requested: false,
      reasons: ['code version unchanged (v2)'],
    });
    await h.settle();
    expect((await h.runsOf('ml/model')).map((r) => r.trigger)).toEqual(['manual', 'automation']);
  });

  it("a decision records its evaluation tree in data.tree: every node's value and reasons", async () => {
    const a = asset({ key: 'a', materialize: async () => 1 });
    const b = asset({ key: 'b', deps: { a }, automation: eager(), materialize: async () => 2 });
    h = await startAutomation(backend, [a, b], { manualClock: true });
    await materialize('a');
    const [decision] = await h.decisions('b');
    const tree = decision!.data.tree as unknown as EvaluationNode;
    const shape = (node: EvaluationNode): unknown => [node.kind, node.value, node.children.map(shape)];
    expect(shape(tree)).toEqual([
      'and',
      true,
      [
        ['inLatestTimeWindow', true, []],
        [
          'sinceLastHandled',
          true,
          [
            [
              'or',
              true,
              [
                ['newlyMissing', false, []],
                ['anyDepsUpdated', true, []],
              ],
            ],
            [
              'or',
              false,
              [
                ['newlyRequested', false, []],
                ['newlyUpdated', false, []],
                ['initialEvaluation', false, []],
              ],
            ],
          ],
        ],
        ['not', true, [['anyDepsMissing', false, []]]],
        ['not', true, [['anyDepsInProgress', false, []]]],
        ['not', true, [['inProgress', false, []]]],
      ],
    ]);
    expect(tree.label).toBe('eager()');
    expect(tree.children[1]!.label).toBe('since last handled');
    expect(tree.children[1]!.reasons[0]).toMatch(/^upstream a updated \(1 event\(s\), latest at /);
    expect(tree.children[1]!.children[0]!.children[0]!.reasons).toEqual([
      'missing since before the previous evaluation',
    ]);
    expect(tree.children[3]!.children[0]!.reasons).toEqual(['no upstream in progress']);
    expect(tree.truePartitions).toBeUndefined();
  });
});
