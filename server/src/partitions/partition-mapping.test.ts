import { describe, expect, it } from 'vitest';
import { allPartitions, identity, manyToOne, timeWindow } from '../sdk/partition-mapping.js';
import {
  dailyPartitions,
  dynamicPartitions,
  hourlyPartitions,
  monthlyPartitions,
  staticPartitions,
} from '../sdk/partitions.js';
import { downstreamPartitionKeys, resolveMapping, upstreamPartitionKeys } from './partition-mapping.js';

const daily = dailyPartitions({ start: '2025-01-01' });
const monthly = monthlyPartitions({ start: '2025-01' });
const ctx = { now: new Date('2025-06-01T00:00:00Z'), dynamicKeys: () => [] };

describe('resolveMapping', () => {
  it('picks the obvious default, or says why there is none', () => {
    expect(resolveMapping(undefined, undefined, undefined)).toEqual({ kind: 'unpartitioned' });
    expect(resolveMapping(daily, undefined, undefined)).toEqual({ kind: 'latest' });
    expect(resolveMapping(undefined, daily, undefined)).toEqual({ kind: 'all_partitions' });
    expect(resolveMapping(daily, dailyPartitions({ start: '2024-06-01' }), undefined)).toEqual({ kind: 'identity' });
    expect(resolveMapping(daily, monthly, undefined)).toEqual({ kind: 'time_window', offset: 0 });
    expect(resolveMapping(monthly, daily, undefined)).toEqual({
      problem:
        'a monthly partition spans several daily partitions of the upstream: read them all with withMapping(upstream, manyToOne())',
    });
    expect(
      resolveMapping(daily, dailyPartitions({ start: '2025-01-01', timezone: 'Asia/Tokyo' }), undefined),
    ).toMatchObject({ problem: expect.stringContaining('different time zones') });
    expect(resolveMapping(staticPartitions(['eu']), staticPartitions(['eu', 'us']), undefined)).toEqual({
      kind: 'identity',
    });
    expect(resolveMapping(staticPartitions(['eu', 'apac']), staticPartitions(['eu', 'us']), undefined)).toMatchObject({
      problem: expect.stringContaining("no partition 'apac'"),
    });
    expect(resolveMapping(dynamicPartitions('c'), dynamicPartitions('c'), undefined)).toEqual({ kind: 'identity' });
    expect(resolveMapping(daily, staticPartitions(['eu']), undefined)).toMatchObject({
      problem: expect.stringContaining('declare how'),
    });
  });

  it('checks declared mappings against both assets', () => {
    expect(resolveMapping(daily, daily, timeWindow({ offset: -1 }))).toEqual({ kind: 'time_window', offset: -1 });
    expect(resolveMapping(monthly, daily, manyToOne())).toEqual({ kind: 'many_to_one', startOffset: 0, endOffset: 0 });
    expect(resolveMapping(monthly, daily, timeWindow())).toMatchObject({
      problem: expect.stringContaining('use manyToOne()'),
    });
    expect(resolveMapping(daily, undefined, identity())).toMatchObject({
      problem: expect.stringContaining('not partitioned'),
    });
    expect(resolveMapping(undefined, daily, timeWindow())).toMatchObject({
      problem: expect.stringContaining('reads every partition'),
    });
    expect(resolveMapping(staticPartitions(['a']), daily, allPartitions())).toEqual({ kind: 'all_partitions' });
    expect(resolveMapping(daily, monthly, identity())).toMatchObject({ problem: expect.stringContaining('same keys') });
  });
});

describe('upstreamPartitionKeys and downstreamPartitionKeys', () => {
  it('time window with an offset: d reads d-1, and d-1 feeds d', () => {
    const mapping = { kind: 'time_window', offset: -1 } as const;
    expect(upstreamPartitionKeys(mapping, daily, daily, '2025-03-01')).toEqual(['2025-02-28']);
    expect(downstreamPartitionKeys(mapping, daily, daily, '2025-02-28', ctx)).toEqual(['2025-03-01']);
    // The first partition's predecessor is named (so a missing input can be reported).
    expect(upstreamPartitionKeys(mapping, daily, daily, '2025-01-01')).toEqual(['2024-12-31']);
  });

  it('many to one: a month reads its days, a day feeds its month', () => {
    const mapping = { kind: 'many_to_one', startOffset: 0, endOffset: 0 } as const;
    const days = upstreamPartitionKeys(mapping, monthly, daily, '2025-02')!;
    expect(days).toHaveLength(28);
    expect([days[0], days.at(-1)]).toEqual(['2025-02-01', '2025-02-28']);
    expect(downstreamPartitionKeys(mapping, monthly, daily, '2025-02-10', ctx)).toEqual(['2025-02']);
    // A month still in progress is not a partition yet: nothing to trigger.
    expect(
      downstreamPartitionKeys(mapping, monthly, daily, '2025-06-01', { ...ctx, now: new Date('2025-06-02') }),
    ).toEqual([]);
    // Clipped to the upstream's first partition.
    expect(upstreamPartitionKeys(mapping, monthly, dailyPartitions({ start: '2025-02-20' }), '2025-02')).toHaveLength(
      9,
    );
  });

  it('a rolling window of 7 days', () => {
    const mapping = { kind: 'many_to_one', startOffset: -6, endOffset: 0 } as const;
    expect(upstreamPartitionKeys(mapping, daily, daily, '2025-03-07')).toEqual([
      '2025-03-01',
      '2025-03-02',
      '2025-03-03',
      '2025-03-04',
      '2025-03-05',
      '2025-03-06',
      '2025-03-07',
    ]);
    expect(downstreamPartitionKeys(mapping, daily, daily, '2025-03-01', ctx)).toEqual([
      '2025-03-01',
      '2025-03-02',
      '2025-03-03',
      '2025-03-04',
      '2025-03-05',
      '2025-03-06',
      '2025-03-07',
    ]);
  });

  it('a day reads its month, an hour of Paris its day', () => {
    expect(upstreamPartitionKeys({ kind: 'time_window', offset: 0 }, daily, monthly, '2025-02-14')).toEqual([
      '2025-02',
    ]);
    const hourly = hourlyPartitions({ start: '2025-01-01', timezone: 'Europe/Paris' });
    const parisDays = dailyPartitions({ start: '2025-01-01', timezone: 'Europe/Paris' });
    expect(upstreamPartitionKeys({ kind: 'time_window', offset: 0 }, hourly, parisDays, '2025-03-30T00')).toEqual([
      '2025-03-30',
    ]);
    const hoursOfDay = upstreamPartitionKeys(
      { kind: 'many_to_one', startOffset: 0, endOffset: 0 },
      parisDays,
      hourly,
      '2025-03-30',
    );
    expect(hoursOfDay).toHaveLength(23);
  });

  it('identity, latest and all partitions', () => {
    expect(upstreamPartitionKeys({ kind: 'identity' }, daily, daily, '2025-02-01')).toEqual(['2025-02-01']);
    expect(upstreamPartitionKeys({ kind: 'latest' }, daily, undefined, '2025-02-01')).toEqual(['']);
    expect(upstreamPartitionKeys({ kind: 'all_partitions' }, undefined, daily, '')).toBeUndefined();
    // An unpartitioned upstream's update concerns the downstream's current partition.
    expect(downstreamPartitionKeys({ kind: 'latest' }, daily, undefined, '', ctx)).toEqual(['2025-05-31']);
    expect(downstreamPartitionKeys({ kind: 'all_partitions' }, undefined, daily, '2025-02-01', ctx)).toEqual(['']);
    expect(downstreamPartitionKeys({ kind: 'identity' }, daily, daily, '2025-07-01', ctx)).toEqual([]);
  });
});
