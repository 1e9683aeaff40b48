import { afterEach, describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import { eager, onCron } from '../../src/sdk/automation.js';
import { timeWindow, withMapping } from '../../src/sdk/partition-mapping.js';
import { ManualClock } from '../../src/runs/clock.js';
import { dailyPartitions, staticPartitions } from '../../src/sdk/partitions.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startAutomation, type AutomationHarness } from '../support/automation-harness.js';
import { waitFor } from '../support/engine-harness.js';

const daily = dailyPartitions({ start: '2025-01-01' });

const materialize = async (h: AutomationHarness, selection: string, partitions: string[]) =>
  h.engine.waitForRun((await h.engine.requestRun({ selection, partitions, trigger: 'manual' })).id);

/** The partitions of an asset's runs, in the order the runs were created, with their trigger. */
async function partitionRuns(h: AutomationHarness, assetKey: string) {
  const rows: Array<{ trigger: string; partition_key: string; detail: Record<string, unknown> }> =
    await h.database.dataSource.query(
      `SELECT r.trigger, s.partition_key, r.trigger_detail AS detail FROM runs r JOIN steps s ON s.run_id = r.id
        WHERE s.asset_key = $1 ORDER BY r.created_at, r.id`,
      [assetKey],
    );
  return rows.map((row) => ({
    trigger: row.trigger,
    partition: row.partition_key,
    events: ((row.detail.events as unknown[] | undefined) ?? []).length,
  }));
}

// Style: given this graph, these events and this time → these run requests and these reasons.
describe.each(STORAGE_BACKENDS)('automation per partition (%s)', (backend) => {
  let h: AutomationHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('eager(): upstream partition p triggers downstream partition p, each on its own, coalescing per partition', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = false;
    // Static keys: eager() considers every key of a static set (of a time set, only the latest
    // window: issue 14, tested below).
    const keys = staticPartitions(['2025-01-01', '2025-01-02']);
    const up = asset({ key: 'up', partitions: keys, materialize: (ctx) => ctx.partition });
    const down = asset({
      key: 'down',
      partitions: keys,
      deps: { up },
      automation: eager(),
      materialize: async (ctx, { up: value }) => {
        // The first run of 2025-01-01 waits, so that new events of that partition pile up.
        if (ctx.partition === '2025-01-01' && !held) {
          held = true;
          await gate;
        }
        return `${value}!`;
      },
    });
    h = await startAutomation(backend, [up, down]);
    const first = await materialize(h, 'up', ['2025-01-01']);
    expect(first.status).toBe('succeeded');
    // Its event made down [2025-01-01] run (evaluation is asynchronous: wait until that run holds,
    // or a slow evaluation could coalesce it with the next event, which is correct but another case).
    await waitFor(async () => held, 'down [2025-01-01] to start and hold');
    // down [2025-01-01] is running (held); two more events of that partition wait for it.
    await materialize(h, 'up', ['2025-01-01']);
    await materialize(h, 'up', ['2025-01-01']);
    const waiting = await waitFor(async () => {
      const declined = (await h!.decisions('down')).filter(
        (d) => d.data.partition === '2025-01-01' && d.type === 'automation.declined',
      );
      return declined.length >= 2 ? declined : undefined;
    }, 'both events of 2025-01-01 to be evaluated');
    // Each event waits: for down itself, or (when evaluated while the next `up` run of the same
    // partition is still going) for that upstream run first.
    const messages = waiting.map((d) => d.message);
    for (const message of messages)
      expect(message).toMatch(
        /^\[2025-01-01\] no run: waiting: (down is already in progress|upstream up \[2025-01-01\] in progress)$/,
      );
    expect(messages).toContain('[2025-01-01] no run: waiting: down is already in progress');
    // Another partition is not held up by it.
    await materialize(h, 'up', ['2025-01-02']);
    await waitFor(async () => (await partitionRuns(h!, 'down')).length >= 2, 'down [2025-01-02] to be requested');
    expect(await partitionRuns(h, 'down')).toEqual([
      { trigger: 'upstream', partition: '2025-01-01', events: 1 },
      { trigger: 'upstream', partition: '2025-01-02', events: 1 },
    ]);

    release();
    await h.settle();
    // When the held run ends, the two waiting events of its partition make one more run.
    expect(await partitionRuns(h, 'down')).toEqual([
      { trigger: 'upstream', partition: '2025-01-01', events: 1 },
      { trigger: 'upstream', partition: '2025-01-02', events: 1 },
      { trigger: 'upstream', partition: '2025-01-01', events: 2 },
    ]);
    const requested = (await h.decisions('down')).filter((d) => d.type === 'automation.requested');
    expect(requested.map((d) => d.data.partition)).toEqual(['2025-01-01', '2025-01-02', '2025-01-01']);
    const pending = await h.count('automation_inbox', 'consumed_by_run_id IS NULL');
    expect(pending).toBe(0);
  });

  it('eager() through a time window: the latest partition waits for every upstream partition it reads', async () => {
    const up = asset({ key: 'up', partitions: daily, materialize: (ctx) => Number(ctx.partition!.slice(-2)) });
    const change = asset({
      key: 'change',
      partitions: dailyPartitions({ start: '2025-01-02' }),
      deps: { today: up, yesterday: withMapping(up, timeWindow({ offset: -1 })) },
      automation: eager(),
      materialize: (_ctx, { today, yesterday }) => today - yesterday,
    });
    // 2025-01-04 01:00 UTC: up has 2025-01-01 … 2025-01-03, the latest window is 2025-01-03.
    const clock = new ManualClock(new Date('2025-01-04T01:00:00Z'));
    h = await startAutomation(backend, [up, change], { clock });
    await materialize(h, 'up', ['2025-01-01', '2025-01-02']);
    await h.settle();
    // 2025-01-01 and 2025-01-02 feed change [2025-01-02], older than the latest window: eager()
    // does not act on it (issue 14). 2025-01-02 also feeds change [2025-01-03] (as yesterday),
    // which still lacks its today.
    expect(await partitionRuns(h, 'change')).toEqual([]);
    const old = (await h.decisions('change')).filter((d) => d.data.partition === '2025-01-02').at(-1)!;
    expect(old.message).toBe(
      '[2025-01-02] no run: 2025-01-02 is older than the latest complete time window (2025-01-03)',
    );
    const declined = (await h.decisions('change')).filter((d) => d.data.partition === '2025-01-03').at(-1)!;
    expect(declined.message).toBe('[2025-01-03] no run: waiting: upstream up [2025-01-03] never materialized');
    await materialize(h, 'up', ['2025-01-03']);
    await h.settle();
    expect((await partitionRuns(h, 'change')).map((r) => r.partition)).toEqual(['2025-01-03']);
  });

  it('onCron() on a daily asset materializes the last partition complete at the tick', async () => {
    const report = asset({
      key: 'report',
      partitions: dailyPartitions({ start: '2025-03-01', timezone: 'Europe/Paris' }),
      automation: onCron('30 0 * * *', { timezone: 'Europe/Paris' }),
      materialize: (ctx) => ctx.partition,
    });
    // The engine clock at the tick: the partition complete then is the latest window.
    h = await startAutomation(backend, [report], { clock: new ManualClock(new Date('2025-03-30T22:30:00Z')) });
    const cron = (tick: string) =>
      h!.automation.evaluate('report', { kind: 'cron', expression: '30 0 * * *', tick: new Date(tick) });
    // 00:30 in Paris on March 31st (22:30 UTC the day before): March 30th has just ended there.
    const decision = await cron('2025-03-30T22:30:00Z');
    expect(decision.requested).toBe(true);
    await h.settle();
    expect(await partitionRuns(h, 'report')).toEqual([{ trigger: 'schedule', partition: '2025-03-30', events: 0 }]);
    // Before the first partition is complete, there is nothing to run.
    const early = await cron('2025-02-28T23:30:00Z');
    expect(early).toMatchObject({
      requested: false,
      reasons: ['no partition is complete at the tick 2025-02-28T23:30:00.000Z'],
    });
    // The same tick again (a second server, a catch-up) starts no second run.
    expect((await cron('2025-03-30T22:30:00Z')).requested).toBe(false);
    expect(await h.count('runs')).toBe(1);
  });
  it('onCron() on a static set runs every key once per tick', async () => {
    const regions = asset({
      key: 'regions',
      partitions: staticPartitions(['eu', 'us']),
      automation: onCron('0 6 * * *'),
      materialize: (ctx) => ctx.partition,
    });
    h = await startAutomation(backend, [regions], { manualClock: true });
    const tick = (at: string) =>
      h!.automation.evaluate('regions', { kind: 'cron', expression: '0 6 * * *', tick: new Date(at) });
    expect((await tick('2026-01-01T06:00:00Z')).runIds).toHaveLength(2);
    expect((await tick('2026-01-01T06:00:00Z')).runIds).toHaveLength(0);
    await h.settle();
    expect((await partitionRuns(h, 'regions')).map((r) => `${r.trigger}:${r.partition}`).sort()).toEqual([
      'schedule:eu',
      'schedule:us',
    ]);
  });
});
