import { describe, expect, it } from 'vitest';
import { deadline, maxLag } from '../sdk/freshness.js';
import { dailyPartitions, hourlyPartitions, staticPartitions } from '../sdk/partitions.js';
import { evaluateSubject, freshnessSubject, partitionSubject } from './freshness-subject.js';

const at = (iso: string) => new Date(iso);

describe('freshnessSubject', () => {
  it('holds unpartitioned, static and dynamic assets to their latest materialization', () => {
    expect(freshnessSubject(undefined, at('2026-01-05T10:00:00Z'))).toEqual({ kind: 'asset', partitionKey: '' });
    expect(freshnessSubject(staticPartitions(['eu', 'us']), at('2026-01-05T10:00:00Z')).kind).toBe('asset');
  });

  it('holds a time-partitioned asset to the latest partition whose window ended, whatever its endOffset', () => {
    for (const endOffset of [0, 1]) {
      const subject = freshnessSubject(dailyPartitions({ start: '2026-01-01', endOffset }), at('2026-01-05T10:00:00Z'));
      expect(subject).toEqual({
        kind: 'partition',
        partitionKey: '2026-01-04',
        windowEnd: at('2026-01-05T00:00:00Z'),
        nextSwitchAt: at('2026-01-06T00:00:00Z'),
      });
    }
  });

  it('cuts windows in the set’s time zone', () => {
    const subject = freshnessSubject(
      dailyPartitions({ start: '2026-01-01', timezone: 'Europe/Paris' }),
      at('2026-01-05T22:30:00Z'), // 23:30 in Paris
    );
    expect(subject).toMatchObject({ partitionKey: '2026-01-04', windowEnd: at('2026-01-04T23:00:00Z') });
  });

  it('has nothing due before the first window ends, and stops switching at a fixed end', () => {
    const early = freshnessSubject(hourlyPartitions({ start: '2026-01-05T10' }), at('2026-01-05T10:30:00Z'));
    expect(early).toEqual({ kind: 'none-due', partitionKey: '', nextSwitchAt: at('2026-01-05T11:00:00Z') });
    const ended = freshnessSubject(
      dailyPartitions({ start: '2026-01-01', end: '2026-01-03' }),
      at('2026-02-01T00:00:00Z'),
    );
    expect(ended).toMatchObject({ partitionKey: '2026-01-02', nextSwitchAt: null });
  });

  it('gives the subject of a named partition, and none for a key outside the set', () => {
    const daily = dailyPartitions({ start: '2026-01-01' });
    expect(partitionSubject(daily, '2026-01-02')).toMatchObject({ windowEnd: at('2026-01-03T00:00:00Z') });
    expect(partitionSubject(daily, '2025-12-31')).toBeUndefined();
    expect(partitionSubject(daily, 'yesterday')).toBeUndefined();
  });
});

describe('evaluateSubject for a time partition', () => {
  const daily = dailyPartitions({ start: '2026-01-01' });

  it('maxLag counts from the end of the window: fresh, warning, late; materialized is fresh', () => {
    const policy = maxLag('2h', { warn: '1h' });
    const evaluateAt = (iso: string, materializedAt: Date | null = null) =>
      evaluateSubject(policy, freshnessSubject(daily, at(iso)), materializedAt, at(iso));
    expect(evaluateAt('2026-01-05T00:30:00Z')).toMatchObject({
      status: 'fresh',
      nextDeadline: at('2026-01-05T02:00:00Z'),
      nextChangeAt: at('2026-01-05T01:00:00Z'),
      lagMs: 30 * 60_000,
    });
    expect(evaluateAt('2026-01-05T01:30:00Z')).toMatchObject({
      status: 'warning',
      since: at('2026-01-05T01:00:00Z'),
    });
    expect(evaluateAt('2026-01-05T03:00:00Z')).toMatchObject({
      status: 'late',
      missedDeadline: at('2026-01-05T02:00:00Z'),
      lagMs: 3 * 3_600_000,
      // Late stays late until a materialization, but the next partition becomes due at midnight.
      nextChangeAt: at('2026-01-06T00:00:00Z'),
    });
    expect(evaluateAt('2026-01-05T03:00:00Z', at('2026-01-05T02:30:00Z'))).toMatchObject({
      status: 'fresh',
      lagMs: 150 * 60_000,
      nextChangeAt: at('2026-01-06T00:00:00Z'),
    });
  });

  it('deadline: due by the first tick after the window ends, plus maxLag', () => {
    const policy = deadline({ cron: '0 9 * * *', maxLag: '30m' });
    const subject = freshnessSubject(daily, at('2026-01-05T08:00:00Z'));
    expect(evaluateSubject(policy, subject, null, at('2026-01-05T08:00:00Z'))).toMatchObject({
      status: 'fresh',
      nextDeadline: at('2026-01-05T09:30:00Z'),
    });
    expect(evaluateSubject(policy, subject, null, at('2026-01-05T09:31:00Z'))).toMatchObject({
      status: 'late',
      missedDeadline: at('2026-01-05T09:30:00Z'),
    });
  });
});
