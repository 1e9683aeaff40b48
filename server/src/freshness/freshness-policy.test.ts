import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { asset } from '../sdk/asset.js';
import { deadline, describeFreshnessPolicy, maxLag } from '../sdk/freshness.js';
import { CronTicks } from './cron-ticks.js';
import { evaluateFreshness } from './freshness-policy.js';

const at = (iso: string) => new Date(iso);
const iso = (date: Date | null) => date?.toISOString() ?? null;

describe('evaluateFreshness: maxLag', () => {
  const policy = maxLag('2h', { warn: '90m' });
  const last = at('2026-01-01T10:00:00Z');

  it('is fresh until warn, warning until maxLag, then late', () => {
    const fresh = evaluateFreshness(policy, last, at('2026-01-01T11:00:00Z'));
    expect(fresh).toMatchObject({ status: 'fresh', lagMs: 3_600_000, missedDeadline: null });
    expect(iso(fresh.since)).toBe('2026-01-01T10:00:00.000Z');
    expect(iso(fresh.nextChangeAt)).toBe('2026-01-01T11:30:00.000Z');
    expect(iso(fresh.nextDeadline)).toBe('2026-01-01T12:00:00.000Z');

    const warning = evaluateFreshness(policy, last, at('2026-01-01T11:30:00Z'));
    expect(warning.status).toBe('warning');
    expect(iso(warning.since)).toBe('2026-01-01T11:30:00.000Z');
    expect(iso(warning.nextChangeAt)).toBe('2026-01-01T12:00:00.000Z');

    const late = evaluateFreshness(policy, last, at('2026-01-01T13:15:00Z'));
    expect(late).toMatchObject({ status: 'late', lagMs: 3 * 3_600_000 + 15 * 60_000, nextChangeAt: null });
    expect(iso(late.since)).toBe('2026-01-01T12:00:00.000Z');
    expect(iso(late.missedDeadline)).toBe('2026-01-01T12:00:00.000Z');
  });

  it('goes straight from fresh to late without warn', () => {
    const policyWithoutWarn = maxLag('1d');
    const fresh = evaluateFreshness(policyWithoutWarn, last, at('2026-01-02T09:59:59.999Z'));
    expect(fresh.status).toBe('fresh');
    expect(iso(fresh.nextChangeAt)).toBe('2026-01-02T10:00:00.000Z');
    expect(evaluateFreshness(policyWithoutWarn, last, at('2026-01-02T10:00:00Z')).status).toBe('late');
  });

  it('is late when never materialized, with nothing to wait for', () => {
    expect(evaluateFreshness(policy, null, at('2026-01-01T00:00:00Z'))).toEqual({
      status: 'late',
      since: null,
      missedDeadline: null,
      nextDeadline: null,
      lagMs: null,
      nextChangeAt: null,
    });
  });
});

describe('evaluateFreshness: deadline', () => {
  const daily = deadline({ cron: '0 9 * * *', maxLag: '30m', warn: '15m' });

  it('wants a materialization newer than each tick by tick + maxLag', () => {
    const last = at('2026-01-01T09:10:00Z');
    // Met for the 1st; the 2nd's requirement starts at its tick.
    const before = evaluateFreshness(daily, last, at('2026-01-02T08:00:00Z'));
    expect(before.status).toBe('fresh');
    expect(iso(before.nextChangeAt)).toBe('2026-01-02T09:15:00.000Z');
    expect(iso(before.nextDeadline)).toBe('2026-01-02T09:30:00.000Z');

    const warning = evaluateFreshness(daily, last, at('2026-01-02T09:20:00Z'));
    expect(warning.status).toBe('warning');
    expect(iso(warning.since)).toBe('2026-01-02T09:15:00.000Z');

    const late = evaluateFreshness(daily, last, at('2026-01-03T12:00:00Z'));
    expect(late.status).toBe('late');
    // The first deadline missed, not the latest; the next one still ahead.
    expect(iso(late.missedDeadline)).toBe('2026-01-02T09:30:00.000Z');
    expect(iso(late.nextDeadline)).toBe('2026-01-04T09:30:00.000Z');
    expect(late.lagMs).toBe(2 * 86_400_000 + 2 * 3_600_000 + 50 * 60_000);
  });

  it('does not count a materialization made exactly at the tick', () => {
    const result = evaluateFreshness(daily, at('2026-01-02T09:00:00Z'), at('2026-01-02T09:31:00Z'));
    expect(result.status).toBe('late');
    expect(iso(result.missedDeadline)).toBe('2026-01-02T09:30:00.000Z');
    expect(evaluateFreshness(daily, at('2026-01-02T09:00:00.001Z'), at('2026-01-02T09:31:00Z')).status).toBe('fresh');
  });

  it('is late when never materialized, naming the latest deadline passed', () => {
    const result = evaluateFreshness(daily, null, at('2026-01-02T12:00:00Z'));
    expect(result.status).toBe('late');
    expect(iso(result.missedDeadline)).toBe('2026-01-02T09:30:00.000Z');
    expect(iso(result.nextDeadline)).toBe('2026-01-03T09:30:00.000Z');
  });

  it('reads the cron in its time zone across a daylight-saving change (Europe/Paris, 2026-03-29)', () => {
    const paris = deadline({ cron: '0 9 * * *', maxLag: '30m', timezone: 'Europe/Paris' });
    // 09:00 in Paris is 08:00Z on the 28th (UTC+1) and 07:00Z on the 29th (UTC+2).
    const last = at('2026-03-28T08:10:00Z');
    const fresh = evaluateFreshness(paris, last, at('2026-03-29T07:20:00Z'));
    expect(fresh.status).toBe('fresh');
    expect(iso(fresh.nextChangeAt)).toBe('2026-03-29T07:30:00.000Z');
    const late = evaluateFreshness(paris, last, at('2026-03-29T07:30:00Z'));
    expect(late.status).toBe('late');
    expect(iso(late.missedDeadline)).toBe('2026-03-29T07:30:00.000Z');
    // Back to UTC+1 on 2026-10-25: the deadline is 08:30Z again.
    const autumn = evaluateFreshness(paris, at('2026-10-24T07:05:00Z'), at('2026-10-25T08:00:00Z'));
    expect(autumn.status).toBe('fresh');
    expect(iso(autumn.nextChangeAt)).toBe('2026-10-25T08:30:00.000Z');
  });

  it('measures maxLag as elapsed time across the night the clocks change', () => {
    // 01:30 Paris on 2026-03-29 is 00:30Z; three hours later is 03:30Z (05:30 local, not 04:30).
    const night = deadline({ cron: '30 1 * * *', maxLag: '3h', timezone: 'Europe/Paris' });
    const result = evaluateFreshness(night, at('2026-03-28T00:40:00Z'), at('2026-03-29T03:00:00Z'));
    expect(result.status).toBe('fresh');
    expect(iso(result.nextChangeAt)).toBe('2026-03-29T03:30:00.000Z');
  });
});

describe('CronTicks', () => {
  it('agrees with cron-parser for times before, inside and after its cached run', () => {
    const schedules = [
      ['0 9 * * *', 'Europe/Paris'],
      ['*/7 * * * *', 'UTC'],
      ['0 0 1 * *', 'America/New_York'],
    ] as const;
    for (const [cron, timezone] of schedules) {
      const ticks = new CronTicks(cron, timezone);
      const expression = CronExpressionParser.parse(cron, { tz: timezone });
      let seed = 42;
      const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31) * 200 * 86_400_000;
      const base = Date.parse('2026-01-01T00:00:00Z');
      for (let i = 0; i < 200; i++) {
        const t = base + Math.floor(random());
        expression.reset(new Date(t - 1));
        const expected = expression.next().getTime();
        expect(ticks.atOrAfter(t), `${cron} at ${new Date(t).toISOString()}`).toBe(expected);
        expect(ticks.atOrAfter(expected)).toBe(expected);
        expression.reset(new Date(t + 1));
        expect(ticks.atOrBefore(t)).toBe(expression.prev().getTime());
      }
    }
  });
});

describe('freshness policies in asset()', () => {
  const materialize = () => 1;

  it('rejects bad durations, warn not shorter than maxLag, bad cron and time zones, naming asset and file', () => {
    expect(() => asset({ key: 'a/bad_lag', freshness: maxLag('2 hours'), materialize })).toThrow(
      /asset 'a\/bad_lag' has an invalid freshness policy: maxLag: invalid duration '2 hours'[\s\S]*freshness-policy\.test\.ts/,
    );
    expect(() => asset({ key: 'a/warn', freshness: maxLag('2h', { warn: '2h' }), materialize })).toThrow(
      /asset 'a\/warn' has an invalid freshness policy: warn \(2h\) must be shorter than maxLag \(2h\)/,
    );
    expect(() => asset({ key: 'a/zero', freshness: maxLag(0), materialize })).toThrow(/maxLag must be longer than 0/);
    expect(() =>
      asset({ key: 'a/cron', freshness: deadline({ cron: '0 25 * * *', maxLag: '30m' }), materialize }),
    ).toThrow(/asset 'a\/cron' has an invalid freshness policy: cron expression '0 25 \* \* \*' does not parse/);
    expect(() =>
      asset({
        key: 'a/tz',
        freshness: deadline({ cron: '0 9 * * *', maxLag: '30m', timezone: 'Mars/Olympus' }),
        materialize,
      }),
    ).toThrow(/unknown time zone "Mars\/Olympus"/);
    expect(() => asset({ key: 'a/kind', freshness: { kind: 'soon' } as never, materialize })).toThrow(
      /expected a policy such as maxLag/,
    );
  });

  it('keeps a valid policy on the asset and describes it', () => {
    const daily = deadline({ cron: '0 9 * * *', maxLag: '30m', warn: '10m', timezone: 'Europe/Paris' });
    expect(asset({ key: 'a/ok', freshness: daily, materialize }).freshness).toBe(daily);
    expect(describeFreshnessPolicy(daily)).toBe("deadline '0 9 * * *' Europe/Paris +30m (warn 10m)");
    expect(describeFreshnessPolicy(maxLag('2h', { warn: '90m' }))).toBe('maxLag 2h (warn 90m)');
  });
});
