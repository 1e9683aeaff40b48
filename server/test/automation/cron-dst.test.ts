import { afterEach, describe, expect, it } from 'vitest';
import { CronScheduler } from '../../src/automation/cron-scheduler.js';
import { ManualClock } from '../../src/runs/clock.js';
import { asset } from '../../src/sdk/asset.js';
import { onCron } from '../../src/sdk/automation.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startAutomation, type AutomationHarness } from '../support/automation-harness.js';
import { waitFor } from '../support/engine-harness.js';

describe.each(STORAGE_BACKENDS)('a cron schedule across a daylight-saving change (%s)', (backend) => {
  let h: AutomationHarness | undefined;
  let scheduler: CronScheduler | undefined;
  afterEach(async () => {
    scheduler?.stop();
    await h?.close();
    h = undefined;
  });

  it('runs at 06:00 Paris time on both sides of the change, one run per tick', async () => {
    const daily = asset({
      key: 'report/daily',
      automation: onCron('0 6 * * *', { timezone: 'Europe/Paris' }),
      materialize: async () => 1,
    });
    h = await startAutomation(backend, [daily], { manualClock: true });
    const clock = h.clock as ManualClock;
    clock.advance(new Date('2026-03-27T12:00:00Z').getTime() - clock.now().getTime());
    const harness = h;
    scheduler = new CronScheduler({
      dataSource: harness.database.dataSource,
      graph: () => harness.engine.graph,
      clock,
      onTick: (key, condition, tick) =>
        harness.automation.evaluate(key, { kind: 'cron', expression: condition.expression, tick }),
      log: () => {},
    });
    await scheduler.start();
    const ticks = async () =>
      (
        (await harness.database.dataSource.query(
          `SELECT trigger_detail->>'tick' AS tick FROM runs WHERE trigger = 'schedule' ORDER BY created_at`,
        )) as Array<{ tick: string }>
      ).map((row) => row.tick);
    // Paris is UTC+1 until 2026-03-29 02:00, UTC+2 after: 06:00 local is 05:00Z, then 04:00Z.
    expect(clock.pendingDelays()).toEqual([new Date('2026-03-28T05:00:00Z').getTime() - clock.now().getTime()]);
    clock.advance(clock.pendingDelays()[0]!);
    await waitFor(async () => (await ticks()).length === 1, 'the first tick');
    await waitFor(async () => clock.pendingDelays().length === 1, 'the next timer');
    expect(clock.now().getTime() + clock.pendingDelays()[0]!).toBe(new Date('2026-03-29T04:00:00Z').getTime());
    clock.advance(clock.pendingDelays()[0]!);
    await waitFor(async () => (await ticks()).length === 2, 'the second tick');
    expect(await ticks()).toEqual(['2026-03-28T05:00:00.000Z', '2026-03-29T04:00:00.000Z']);
    // A restarted scheduler catches up from the last evaluated tick, not from scratch: no repeat.
    scheduler.stop();
    await scheduler.start();
    await harness.settle();
    expect(await ticks()).toHaveLength(2);
  });
});
