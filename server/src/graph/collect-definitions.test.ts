import { describe, expect, it } from 'vitest';
import { asset } from '../sdk/asset.js';
import { sourceAsset } from '../sdk/source-asset.js';
import { AssetGraph } from './asset-graph.js';
import { collectDefinitions, isAssetDefinition } from './collect-definitions.js';

const materialize = (): undefined => undefined;

describe('collectDefinitions', () => {
  it('collects exported assets and sources, ignoring other exports', () => {
    const raw = sourceAsset({ key: 'bronze/raw' });
    const clean = asset({ key: 'silver/clean', deps: { raw }, materialize });
    const collected = collectDefinitions({
      raw,
      clean,
      helper: () => 1,
      config: { retries: 3 },
      name: 'x',
      nothing: null,
    });
    expect(collected).toEqual([raw, clean]);
  });

  it('includes unexported dependencies transitively, after the asset that brought them', () => {
    const hiddenSource = sourceAsset({ key: 'bronze/hidden-source' });
    const hiddenA = asset({ key: 'silver/hidden-a', deps: { source: hiddenSource }, materialize });
    const hiddenB = asset({ key: 'silver/hidden-b', materialize });
    const top = asset({ key: 'gold/top', deps: { a: hiddenA, b: hiddenB, byKey: 'silver/other' }, materialize });
    const other = asset({ key: 'silver/other', materialize });
    expect(collectDefinitions({ top, other })).toEqual([top, hiddenA, hiddenSource, hiddenB, other]);
  });

  it('looks one level into arrays and plain objects', () => {
    const a = asset({ key: 'a', materialize });
    const b = asset({ key: 'b', materialize });
    const c = sourceAsset({ key: 'c' });
    const deep = asset({ key: 'deep', materialize });
    const collected = collectDefinitions({
      list: [a, 'not an asset', b],
      byName: { c, nested: { deep } },
      nestedList: [[deep]],
    });
    expect(collected).toEqual([a, b, c]);
  });

  it('counts the same object once, keeping first-seen order', () => {
    const a = asset({ key: 'a', materialize });
    const b = asset({ key: 'b', deps: { a }, materialize });
    expect(collectDefinitions({ b, a, again: a, all: [a, b], default: { a, b } })).toEqual([b, a]);
  });

  it('keeps two different objects with the same key, so the graph reports the duplicate', () => {
    const first = asset({ key: 'dup', materialize });
    const second = asset({ key: 'dup', materialize });
    const user = asset({ key: 'user', deps: { d: second }, materialize });
    const collected = collectDefinitions({ first, user });
    expect(collected).toEqual([first, user, second]);
    expect(() => AssetGraph.build(collected)).toThrow("key 'dup' is defined 2 times");
  });

  it('follows a long chain of unexported dependencies without recursion', () => {
    let last = asset({ key: 'n0', materialize });
    for (let i = 1; i < 5_000; i++) last = asset({ key: `n${i}`, deps: { up: last }, materialize });
    const collected = collectDefinitions({ last });
    expect(collected).toHaveLength(5_000);
    expect(AssetGraph.build(collected).keys[0]).toBe('n0');
  });

  it('recognizes definitions by kind and key', () => {
    expect(isAssetDefinition({ kind: 'asset', key: 'a' })).toBe(true);
    expect(isAssetDefinition({ kind: 'source', key: 'a' })).toBe(true);
    expect(isAssetDefinition({ kind: 'payload-ref', key: 'a' })).toBe(false);
    expect(isAssetDefinition({ kind: 'asset' })).toBe(false);
    expect(isAssetDefinition(undefined)).toBe(false);
  });
});
