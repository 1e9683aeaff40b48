import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { asset } from '../sdk/asset.js';
import { check } from '../sdk/check.js';
import { deadline } from '../sdk/freshness.js';
import { manyToOne, withMapping } from '../sdk/partition-mapping.js';
import { dailyPartitions, monthlyPartitions } from '../sdk/partitions.js';
import { sourceAsset } from '../sdk/source-asset.js';
import { AssetGraph } from './asset-graph.js';
import { canonicalJson, snapshotHash, snapshotJson } from './graph-snapshot.js';

const materialize = (): undefined => undefined;

describe('canonicalJson', () => {
  it('sorts object fields at every depth and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: true, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[1,{"y":null,"z":true}]},"b":1}',
    );
    expect(canonicalJson([undefined, 'é"'])).toBe('[null,"é\\""]');
    expect(canonicalJson({})).toBe('{}');
  });
});

describe('snapshotJson', () => {
  it('equals canonicalJson on every snapshot field', () => {
    const raw = sourceAsset({ key: 'bronze/raw', tags: { z: '1', a: '2' }, owners: ['b', 'a'], description: 'd' });
    const clean = asset({
      key: 'silver/clean',
      deps: { zeta: raw, alpha: 'bronze/raw' },
      codeVersion: 'v1',
      retry: { maxDelay: '1m', delay: '1s', nonRetryable: [TypeError] },
      freshness: deadline({ cron: '0 9 * * *', maxLag: '30m', timezone: 'Europe/Paris' }),
      checks: [check('not empty', () => true, { severity: 'warn', description: 'd' }), check('ids', () => true)],
      materialize,
    });
    const days = asset({
      key: 'silver/days',
      partitions: dailyPartitions({ start: '2025-01-01', timezone: 'Europe/Paris' }),
      materialize,
    });
    const months = asset({
      key: 'gold/months',
      partitions: monthlyPartitions({ start: '2025-01', timezone: 'Europe/Paris' }),
      deps: { days: withMapping(days, manyToOne({ startOffset: -1 })), clean },
      materialize,
    });
    const snapshots = AssetGraph.build([clean, raw, days, months]).toSnapshot();
    for (const snapshot of snapshots) {
      expect(snapshotJson(snapshot)).toBe(canonicalJson(snapshot));
    }
    expect(snapshots.find((s) => s.key === 'gold/months')).toMatchObject({
      deps: { days: 'silver/days', clean: 'silver/clean' },
      partitions: { kind: 'time', cadence: 'monthly', start: '2025-01', timezone: 'Europe/Paris', endOffset: 0 },
      partitionMappings: { days: { kind: 'many_to_one', startOffset: -1, endOffset: 0, reads: 'many' } },
    });
  });
});

describe('snapshotHash', () => {
  it('is the SHA-256 of the canonical JSON of the snapshots sorted by key', () => {
    // Topological order (a, c, b) differs from key order (a, b, c).
    const graph = AssetGraph.build([
      asset({ key: 'b', deps: { c: 'c' }, materialize }),
      asset({ key: 'c', deps: { a: 'a' }, materialize }),
      asset({ key: 'a', materialize }),
    ]);
    const snapshots = graph.toSnapshot();
    expect(snapshots.map((s) => s.key)).toEqual(['a', 'c', 'b']);
    const byKey = [snapshots[0], snapshots[2], snapshots[1]];
    const expected = createHash('sha256').update(canonicalJson(byKey)).digest('hex');
    expect(snapshotHash(snapshots)).toBe(expected);
    expect(snapshotHash([...snapshots].reverse())).toBe(expected);
    expect(graph.hash).toBe(expected);
  });
});
