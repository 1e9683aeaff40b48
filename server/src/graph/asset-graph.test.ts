import { describe, expect, it } from 'vitest';
import { asset } from '../sdk/asset.js';
import { maxLag } from '../sdk/freshness.js';
import { NonRetryableError } from '../sdk/retry.js';
import { sourceAsset } from '../sdk/source-asset.js';
import { AssetGraph } from './asset-graph.js';

const materialize = (): undefined => undefined;

/**
 * A diamond fed by a source, plus an unrelated asset:
 *   raw → top → left, right → bottom;  lonely
 */
function diamond() {
  const raw = sourceAsset({ key: 'bronze/raw', group: 'bronze', tags: ['pii'] });
  const top = asset({ key: 'silver/top', group: 'silver', deps: { raw }, materialize });
  const right = asset({ key: 'silver/right', group: 'silver', deps: { top }, materialize });
  const left = asset({ key: 'silver/left', group: 'silver', deps: { top: 'silver/top' }, materialize });
  const bottom = asset({
    key: 'gold/bottom',
    group: 'gold',
    tags: { tier: 'gold' },
    deps: { r: right, l: left, again: right },
    materialize,
  });
  const lonely = asset({ key: 'aaa/lonely', materialize });
  return { raw, top, right, left, bottom, lonely, all: [bottom, left, right, top, raw, lonely] };
}

describe('AssetGraph', () => {
  it('orders keys upstream first, ties broken by key', () => {
    const { all } = diamond();
    const graph = AssetGraph.build(all);
    expect(graph.keys).toEqual([
      'aaa/lonely',
      'bronze/raw',
      'silver/top',
      'silver/left',
      'silver/right',
      'gold/bottom',
    ]);
    expect(graph.size).toBe(6);
    // Independent of the order definitions are given in.
    expect(AssetGraph.build([...all].reverse()).keys).toEqual(graph.keys);
  });

  it('respects every dependency in the topological order', () => {
    const graph = AssetGraph.build(diamond().all);
    for (const key of graph.keys) {
      for (const upstream of graph.upstreamOf(key))
        expect(graph.keys.indexOf(upstream)).toBeLessThan(graph.keys.indexOf(key));
    }
  });

  it('answers has, get and inputsOf', () => {
    const { all, bottom, raw } = diamond();
    const graph = AssetGraph.build(all);
    expect(graph.has('gold/bottom')).toBe(true);
    expect(graph.has('gold/nope')).toBe(false);
    expect(graph.get('gold/bottom')).toBe(bottom);
    expect(graph.get('bronze/raw')).toBe(raw);
    expect(graph.definitions.map((d) => d.key)).toEqual(graph.keys);
    expect(graph.inputsOf('gold/bottom')).toEqual([
      { name: 'r', key: 'silver/right' },
      { name: 'l', key: 'silver/left' },
      { name: 'again', key: 'silver/right' },
    ]);
    expect(graph.inputsOf('bronze/raw')).toEqual([]);
  });

  it('throws on unknown keys with a suggestion', () => {
    const graph = AssetGraph.build(diamond().all);
    expect(() => graph.get('gold/botom')).toThrow("unknown asset key 'gold/botom': did you mean 'gold/bottom'?");
    expect(() => graph.upstreamOf('nope')).toThrow("unknown asset key 'nope'");
    expect(() => graph.sortTopologically(['gold/bottom', 'nope'])).toThrow("unknown asset key 'nope'");
  });

  it('lists direct neighbours once each, upstream first', () => {
    const graph = AssetGraph.build(diamond().all);
    expect(graph.upstreamOf('gold/bottom')).toEqual(['silver/left', 'silver/right']);
    expect(graph.downstreamOf('silver/top')).toEqual(['silver/left', 'silver/right']);
    expect(graph.downstreamOf('bronze/raw')).toEqual(['silver/top']);
    expect(graph.upstreamOf('bronze/raw')).toEqual([]);
    expect(graph.downstreamOf('gold/bottom')).toEqual([]);
  });

  it('computes closures including the given keys, in topological order', () => {
    const graph = AssetGraph.build(diamond().all);
    expect([...graph.upstreamClosure(['gold/bottom'])]).toEqual([
      'bronze/raw',
      'silver/top',
      'silver/left',
      'silver/right',
      'gold/bottom',
    ]);
    expect([...graph.upstreamClosure(['silver/left'])]).toEqual(['bronze/raw', 'silver/top', 'silver/left']);
    expect([...graph.downstreamClosure(['silver/right'])]).toEqual(['silver/right', 'gold/bottom']);
    expect([...graph.downstreamClosure(['bronze/raw', 'aaa/lonely'])]).toEqual([
      'aaa/lonely',
      'bronze/raw',
      'silver/top',
      'silver/left',
      'silver/right',
      'gold/bottom',
    ]);
    expect(graph.upstreamClosure([]).size).toBe(0);
  });

  it('sorts any subset topologically, dropping repeats', () => {
    const graph = AssetGraph.build(diamond().all);
    expect(graph.sortTopologically(['gold/bottom', 'bronze/raw', 'silver/right', 'gold/bottom'])).toEqual([
      'bronze/raw',
      'silver/right',
      'gold/bottom',
    ]);
    expect(graph.sortTopologically(new Set<string>())).toEqual([]);
  });

  it('handles an empty project', () => {
    const graph = AssetGraph.build([]);
    expect(graph.keys).toEqual([]);
    expect(graph.toSnapshot()).toEqual([]);
    expect(graph.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('handles a 20k-long chain and a 20k-long cycle without deep recursion', () => {
    // The chain's head depends on 'tail' by key: one 'tail' closes it into a cycle, the other not.
    const chain = [asset({ key: 'n0', deps: { tail: 'tail' }, materialize })];
    for (let i = 1; i < 20_000; i++) chain.push(asset({ key: `n${i}`, deps: { up: chain[i - 1]! }, materialize }));
    const graph = AssetGraph.build([...chain].reverse().concat(asset({ key: 'tail', materialize })));
    expect(graph.keys[0]).toBe('tail');
    expect(graph.keys.at(-1)).toBe('n19999');
    expect(graph.upstreamClosure(['n19999']).size).toBe(20_001);

    const loop = asset({ key: 'tail', deps: { last: 'n19999' }, materialize });
    expect(() => AssetGraph.build([...chain, loop])).toThrow(/^dependency cycle .*n0 \(.*\) → tail \(.*\) → n19999 \(/);
  });
});

describe('AssetGraph snapshot and hash', () => {
  function project(codeVersion: string) {
    const raw = sourceAsset({ key: 'bronze/raw', description: 'vendor drop', owners: ['data-eng'] });
    const clean = asset({
      key: 'silver/clean',
      deps: { raw, extra: 'bronze/raw' },
      codeVersion,
      tags: ['pii'],
      retry: { maxAttempts: 5, delay: '2s', nonRetryable: [NonRetryableError, TypeError] },
      freshness: maxLag('2h', { warn: '90m' }),
      materialize,
    });
    return [clean, raw];
  }

  it('describes each asset without its code, upstream first', () => {
    const [clean, raw] = project('v1');
    const snapshot = AssetGraph.build([clean!, raw!]).toSnapshot();
    expect(snapshot).toEqual([
      {
        key: 'bronze/raw',
        kind: 'source',
        deps: {},
        group: 'default',
        owners: ['data-eng'],
        tags: {},
        description: 'vendor drop',
        codeVersion: null,
        pool: null,
        automation: null,
        retry: null,
        freshness: null,
        checks: [],
        partitions: null,
        partitionMappings: {},
        definedAt: raw!.definedAt,
      },
      {
        key: 'silver/clean',
        kind: 'asset',
        deps: { raw: 'bronze/raw', extra: 'bronze/raw' },
        group: 'default',
        owners: [],
        tags: { pii: '' },
        description: null,
        codeVersion: 'v1',
        pool: null,
        automation: null,
        retry: { maxAttempts: 5, delay: '2s', nonRetryable: ['NonRetryableError', 'TypeError'] },
        freshness: { kind: 'maxLag', maxLag: '2h', warn: '90m' },
        checks: [],
        partitions: null,
        partitionMappings: {},
        definedAt: clean!.definedAt,
      },
    ]);
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  it('gives the same hash for the same definitions, in any order', () => {
    const definitions = project('v1');
    const hash = AssetGraph.build(definitions).hash;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(AssetGraph.build(definitions).hash).toBe(hash);
    expect(AssetGraph.build([...definitions].reverse()).hash).toBe(hash);
  });

  it('gives another hash when a code version changes', () => {
    // Both projects come from the same lines, so only codeVersion differs.
    const v1 = AssetGraph.build(project('v1'));
    const v2 = AssetGraph.build(project('v2'));
    const again = AssetGraph.build(project('v1'));
    expect(v2.hash).not.toBe(v1.hash);
    expect(again.hash).toBe(v1.hash);
  });
});
