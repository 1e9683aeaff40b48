import { describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import { nextCronTick, onCron } from '../../src/sdk/automation.js';

describe('onCron', () => {
  it('rejects an expression that does not parse, naming the asset and the file', () => {
    expect(() => asset({ key: 'bad/cron', automation: onCron('61 * * * *'), materialize: () => 1 })).toThrow(
      /asset 'bad\/cron' has an invalid automation: cron expression '61 \* \* \* \*' does not parse[\s\S]*cron-condition\.test\.ts/,
    );
  });

  it('rejects an unknown time zone', () => {
    expect(() =>
      asset({ key: 'bad/tz', automation: onCron('0 6 * * *', { timezone: 'Mars/Olympus' }), materialize: () => 1 }),
    ).toThrow(/unknown time zone 'Mars\/Olympus'/);
  });

  it('computes next ticks in the schedule time zone across a daylight-saving change', () => {
    const daily = onCron('0 6 * * *', { timezone: 'Europe/Paris' });
    // Paris moves from UTC+1 to UTC+2 on 2026-03-29: 06:00 local is 05:00Z before, 04:00Z after.
    expect(nextCronTick(daily, new Date('2026-03-28T00:00:00Z')).toISOString()).toBe('2026-03-28T05:00:00.000Z');
    expect(nextCronTick(daily, new Date('2026-03-29T00:00:00Z')).toISOString()).toBe('2026-03-29T04:00:00.000Z');
    const seconds = onCron('*/2 * * * * *');
    expect(nextCronTick(seconds, new Date('2026-01-01T00:00:01.500Z')).toISOString()).toBe('2026-01-01T00:00:02.000Z');
  });
});
