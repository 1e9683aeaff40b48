import { describe, expect, it } from 'vitest';
import { searchAssets } from '../../src/lineage/asset-search';
import { buildAdjacency, edgeInClosure, focusClosure } from '../../src/lineage/focus-closure';
import { mostUrgent, normalizeStatus } from '../../src/lineage/status-style';
import { medallion, node } from './lineage-fixtures';

const edges = (pairs: [string, string][]) => pairs.map(([source, target]) => ({ source, target }));

describe('focus closure', () => {
  it('collects everything upstream and downstream, transitively', () => {
    const adjacency = buildAdjacency(
      edges([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'd'],
        ['x', 'c'],
        ['c', 'y'],
        ['z', 'w'],
      ]),
    );
    const closure = focusClosure(adjacency, 'c');
    expect([...closure.upstream].sort()).toEqual(['a', 'b', 'x']);
    expect([...closure.downstream].sort()).toEqual(['d', 'y']);
    expect(closure.upstream.has('z')).toBe(false);
  });

  it('terminates on cycles and keeps the focus out of both sides', () => {
    const closure = focusClosure(
      buildAdjacency(
        edges([
          ['a', 'b'],
          ['b', 'a'],
          ['b', 'c'],
        ]),
      ),
      'a',
    );
    expect([...closure.upstream].sort()).toEqual(['b']);
    expect([...closure.downstream].sort()).toEqual(['b', 'c']);
  });

  it('highlights only the edges on a path through the focus', () => {
    const adjacency = buildAdjacency(
      edges([
        ['a', 'b'],
        ['b', 'c'],
        ['x', 'c'],
        ['a', 'x'],
      ]),
    );
    const closure = focusClosure(adjacency, 'b');
    expect(edgeInClosure(closure, 'a', 'b')).toBe(true);
    expect(edgeInClosure(closure, 'b', 'c')).toBe(true);
    // x feeds c (downstream) but is not downstream of b itself: not on b's lineage.
    expect(edgeInClosure(closure, 'x', 'c')).toBe(false);
    expect(edgeInClosure(closure, 'a', 'x')).toBe(false);
  });
});

describe('search and status', () => {
  it('matches key substrings case-insensitively, exact names and prefixes first', () => {
    const nodes = [node('bronze/raw_orders'), node('gold/orders_summary'), node('silver/orders'), node('gold/revenue')];
    expect(searchAssets(nodes, 'ORDERS').map((n) => n.key)).toEqual([
      'silver/orders',
      'gold/orders_summary',
      'bronze/raw_orders',
    ]);
    expect(searchAssets(nodes, 'silver/orders')[0]!.key).toBe('silver/orders');
    expect(searchAssets(nodes, '  ')).toEqual([]);
  });

  it('ranks statuses as the schema says: running, failed, late, never, stale, fresh', () => {
    expect(mostUrgent(['FRESH', 'STALE', 'LATE'])).toBe('LATE');
    expect(mostUrgent(['FAILED', 'RUNNING'])).toBe('RUNNING');
    expect(mostUrgent([])).toBe('FRESH');
    expect(normalizeStatus('SOMETHING_NEW')).toBe('NEVER_MATERIALIZED');
    expect(medallion().nodes.map((n) => n.status)).toContain('FAILED');
  });
});
