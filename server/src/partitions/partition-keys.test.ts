import { describe, expect, it } from 'vitest';
import {
  dailyPartitions,
  dynamicPartitions,
  hourlyPartitions,
  monthlyPartitions,
  partitionsProblem,
  staticPartitions,
  weeklyPartitions,
} from '../sdk/partitions.js';
import {
  currentPartitionKeys,
  lastCompletePartition,
  partitionKeyAt,
  partitionKeyProblem,
  partitionKeys,
  partitionKeysBetween,
  partitionWindow,
  sortPartitionKeys,
} from './partition-keys.js';

const at = (iso: string) => ({ now: new Date(iso), dynamicKeys: () => [] });
const hours = (window: { start: Date; end: Date }) => (window.end.getTime() - window.start.getTime()) / 3_600_000;

describe('daily partitions', () => {
  const daily = dailyPartitions({ start: '2025-01-01' });

  it('run from the start to the last complete day, moved by endOffset and capped by end', () => {
    expect(partitionKeys(daily, at('2025-01-04T10:00:00Z'))).toEqual(['2025-01-01', '2025-01-02', '2025-01-03']);
    expect(partitionKeys(dailyPartitions({ start: '2025-01-01', endOffset: 1 }), at('2025-01-04T10:00:00Z'))).toEqual([
      '2025-01-01',
      '2025-01-02',
      '2025-01-03',
      '2025-01-04',
    ]);
    expect(partitionKeys(dailyPartitions({ start: '2025-01-01', endOffset: -1 }), at('2025-01-04T10:00:00Z'))).toEqual([
      '2025-01-01',
      '2025-01-02',
    ]);
    expect(
      partitionKeys(dailyPartitions({ start: '2025-01-01', end: '2025-01-03' }), at('2026-01-01T00:00:00Z')),
    ).toEqual(['2025-01-01', '2025-01-02']);
    // The first day has not ended yet: the set is empty.
    expect(partitionKeys(daily, at('2025-01-01T23:59:59Z'))).toEqual([]);
    expect(currentPartitionKeys(daily, at('2025-01-04T10:00:00Z'))).toEqual(['2025-01-03']);
  });

  it('list 365 keys for 2025 and clip a range to the set', () => {
    const ctx = at('2026-03-01T00:00:00Z');
    const year = partitionKeysBetween(daily, '2025-01-01', '2025-12-31', ctx);
    expect(year).toHaveLength(365);
    expect(year[58]).toBe('2025-02-28');
    expect(year[59]).toBe('2025-03-01');
    expect(partitionKeysBetween(daily, '2024-12-25', '2025-01-02', ctx)).toEqual(['2025-01-01', '2025-01-02']);
    expect(() => partitionKeysBetween(daily, '2025-01-03', '2025-01-01', ctx)).toThrow(/empty/);
    expect(() => partitionKeysBetween(daily, '2024-01-01', '2024-02-01', ctx)).toThrow(/no partition between/);
    expect(() => partitionKeysBetween(daily, '2025-1-1', '2025-02-01', ctx)).toThrow(
      "--from '2025-1-1' is not a daily partition key: expected YYYY-MM-DD",
    );
  });

  it('validate keys: shape, calendar, start and the last complete day', () => {
    const ctx = at('2025-03-10T12:00:00Z');
    expect(partitionKeyProblem(daily, '2025-03-09', ctx)).toBeUndefined();
    expect(partitionKeyProblem(daily, '2025-02-30', ctx)).toMatch(/not a daily partition key/);
    expect(partitionKeyProblem(daily, '2024-12-31', ctx)).toBe(
      "'2024-12-31' is before the first partition '2025-01-01'",
    );
    expect(partitionKeyProblem(daily, '2025-03-10', ctx)).toBe(
      "'2025-03-10' is not a partition yet: the last one is '2025-03-09'",
    );
  });

  it('are cut at midnight in their time zone, 23 and 25 hours long on DST changes (Europe/Paris)', () => {
    const paris = dailyPartitions({ start: '2025-01-01', timezone: 'Europe/Paris' });
    expect(partitionWindow(paris, '2025-03-29')).toEqual({
      start: new Date('2025-03-28T23:00:00Z'),
      end: new Date('2025-03-29T23:00:00Z'),
    });
    expect(hours(partitionWindow(paris, '2025-03-30'))).toBe(23);
    expect(partitionWindow(paris, '2025-03-31').start).toEqual(new Date('2025-03-30T22:00:00Z'));
    expect(hours(partitionWindow(paris, '2025-10-26'))).toBe(25);
    expect(partitionWindow(paris, '2025-10-27').start).toEqual(new Date('2025-10-26T23:00:00Z'));
    // 23:30 UTC on the 29th is 00:30 on the 30th in Paris.
    expect(partitionKeyAt(paris, new Date('2025-03-29T23:30:00Z'))).toBe('2025-03-30');
    expect(lastCompletePartition(paris, new Date('2025-03-30T21:59:59Z'))).toBe('2025-03-29');
    expect(lastCompletePartition(paris, new Date('2025-03-30T22:00:00Z'))).toBe('2025-03-30');
  });
});

describe('hourly partitions', () => {
  it('in UTC: 24 a day, keyed YYYY-MM-DDTHH', () => {
    const hourly = hourlyPartitions({ start: '2025-03-30' });
    const keys = partitionKeysBetween(hourly, '2025-03-30T00', '2025-03-30T23', at('2025-04-01T00:00:00Z'));
    expect(keys).toHaveLength(24);
    expect(keys[13]).toBe('2025-03-30T13');
    expect(partitionKeyProblem(hourly, '2025-03-30T24', at('2025-04-01T00:00:00Z'))).toMatch(/YYYY-MM-DDTHH/);
  });

  it('in Europe/Paris: the skipped hour has no partition, the repeated one lasts two hours', () => {
    const paris = hourlyPartitions({ start: '2025-03-01T00', timezone: 'Europe/Paris' });
    const ctx = at('2025-11-01T00:00:00Z');
    const spring = partitionKeysBetween(paris, '2025-03-30T00', '2025-03-30T23', ctx);
    expect(spring).toHaveLength(23);
    expect(spring.slice(0, 3)).toEqual(['2025-03-30T00', '2025-03-30T01', '2025-03-30T03']);
    expect(partitionWindow(paris, '2025-03-30T01')).toEqual({
      start: new Date('2025-03-30T00:00:00Z'),
      end: new Date('2025-03-30T01:00:00Z'),
    });
    expect(partitionWindow(paris, '2025-03-30T03').start).toEqual(new Date('2025-03-30T01:00:00Z'));
    expect(partitionKeyProblem(paris, '2025-03-30T02', ctx)).toMatch(/does not exist in Europe\/Paris/);

    const autumn = partitionKeysBetween(paris, '2025-10-26T00', '2025-10-26T23', ctx);
    expect(autumn).toHaveLength(24);
    expect(partitionWindow(paris, '2025-10-26T02')).toEqual({
      start: new Date('2025-10-26T00:00:00Z'),
      end: new Date('2025-10-26T02:00:00Z'),
    });
    // Both passes of the clock through 02:xx are the same partition.
    expect(partitionKeyAt(paris, new Date('2025-10-26T00:30:00Z'))).toBe('2025-10-26T02');
    expect(partitionKeyAt(paris, new Date('2025-10-26T01:30:00Z'))).toBe('2025-10-26T02');
    expect(lastCompletePartition(paris, new Date('2025-10-26T01:59:00Z'))).toBe('2025-10-26T01');
    expect(lastCompletePartition(paris, new Date('2025-10-26T02:00:00Z'))).toBe('2025-10-26T02');
  });
});

describe('weekly and monthly partitions', () => {
  it('key a week by its Monday and a month by YYYY-MM', () => {
    const weekly = weeklyPartitions({ start: '2024-12-30' });
    expect(partitionKeyAt(weekly, new Date('2025-01-01T12:00:00Z'))).toBe('2024-12-30');
    expect(partitionKeys(weekly, at('2025-01-15T00:00:00Z'))).toEqual(['2024-12-30', '2025-01-06']);
    expect(partitionKeyProblem(weekly, '2025-01-07', at('2025-03-01T00:00:00Z'))).toMatch(/a Monday/);
    const monthly = monthlyPartitions({ start: '2025-01-01' });
    expect(partitionKeys(monthly, at('2025-04-10T00:00:00Z'))).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(hours(partitionWindow(monthly, '2025-02'))).toBe(28 * 24);
  });

  it('reject a start that is not the beginning of a partition', () => {
    expect(partitionsProblem(weeklyPartitions({ start: '2025-01-01' }))).toBe(
      "weeklyPartitions start: '2025-01-01' is not a Monday: weekly partitions begin on Mondays (the week of '2025-01-01' begins on '2024-12-30')",
    );
    expect(partitionsProblem(monthlyPartitions({ start: '2025-01-15' }))).toMatch(/not the first day of a month/);
    expect(partitionsProblem(dailyPartitions({ start: '2025-13-01' }))).toMatch(/not a valid daily boundary/);
    expect(partitionsProblem(dailyPartitions({ start: '2025-01-01', timezone: 'Mars/Olympus' }))).toMatch(
      /unknown time zone "Mars\/Olympus"/,
    );
    expect(partitionsProblem(dailyPartitions({ start: '2025-01-05', end: '2025-01-01' }))).toMatch(/must come after/);
  });
});

describe('static and dynamic partitions', () => {
  it('list, validate and sort their keys in their own order', () => {
    const regions = staticPartitions(['eu', 'us', 'apac']);
    const ctx = at('2025-01-01T00:00:00Z');
    expect(partitionKeysBetween(regions, 'us', 'apac', ctx)).toEqual(['us', 'apac']);
    expect(partitionKeyProblem(regions, 'mars', ctx)).toBe("'mars' is not one of the partitions 'eu', 'us', 'apac'");
    expect(sortPartitionKeys(regions, ['apac', 'eu'], ctx)).toEqual(['eu', 'apac']);
    const customers = dynamicPartitions('customers');
    const withKeys = { ...ctx, dynamicKeys: () => ['acme', 'globex'] };
    expect(partitionKeys(customers, withKeys)).toEqual(['acme', 'globex']);
    expect(partitionKeyProblem(customers, 'initech', withKeys)).toMatch(/weir partitions add customers initech/);
    expect(partitionsProblem(staticPartitions(['a', 'a']))).toMatch(/twice/);
    expect(partitionsProblem(staticPartitions(['a b']))).toMatch(/without whitespace/);
    expect(partitionsProblem(dynamicPartitions('no spaces'))).toMatch(/invalid dynamic partition set name/);
  });
});
