import { describe, expect, it } from 'vitest';
import { asset } from '../sdk/asset.js';
import { AssetDefinitionError } from '../sdk/definition-error.js';
import { timeWindow, withMapping } from '../sdk/partition-mapping.js';
import { dailyPartitions, monthlyPartitions } from '../sdk/partitions.js';
import { sourceAsset } from '../sdk/source-asset.js';
import { AssetGraph } from './asset-graph.js';

const materialize = (): undefined => undefined;
const THIS_FILE = 'graph-validation.test.ts';

/** Builds the graph and returns the error it throws. */
function buildError(definitions: Parameters<typeof AssetGraph.build>[0]): AssetDefinitionError {
  try {
    AssetGraph.build(definitions);
  } catch (error) {
    expect(error).toBeInstanceOf(AssetDefinitionError);
    return error as AssetDefinitionError;
  }
  throw new Error('expected AssetGraph.build to throw');
}

/** `file:line` as `definedAt` holds it, for exact assertions. */
function lineOf(definition: { definedAt: string }): string {
  return definition.definedAt.slice(definition.definedAt.lastIndexOf('/') + 1);
}

describe('AssetGraph.build validation', () => {
  it('accepts a valid graph, and the same object listed twice once', () => {
    const raw = sourceAsset({ key: 'bronze/raw' });
    const clean = asset({ key: 'silver/clean', deps: { raw }, materialize });
    const graph = AssetGraph.build([clean, raw, clean, raw]);
    expect(graph.keys).toEqual(['bronze/raw', 'silver/clean']);
  });

  it('reports a duplicate key with both definitions and their locations', () => {
    const first = asset({ key: 'silver/orders', materialize });
    const second = asset({ key: 'silver/orders', materialize });
    const error = buildError([first, second]);
    expect(error.message).toContain("key 'silver/orders' is defined 2 times");
    expect(error.message).toContain(`silver/orders (defined at ${first.definedAt})`);
    expect(error.message).toContain(`silver/orders (defined at ${second.definedAt})`);
    expect(first.definedAt).not.toBe(second.definedAt);
    expect(error.message).toContain(THIS_FILE);
    expect(error.culprits).toEqual([
      { key: 'silver/orders', definedAt: first.definedAt },
      { key: 'silver/orders', definedAt: second.definedAt },
    ]);
  });

  it('reports an unknown dependency with the input name and the closest key', () => {
    const orders = asset({ key: 'silver/orders', materialize });
    const revenue = asset({ key: 'gold/revenue', deps: { orders: 'silver/order' }, materialize });
    const error = buildError([orders, revenue]);
    expect(error.message).toContain(
      "asset 'gold/revenue' input 'orders' depends on unknown key 'silver/order': did you mean 'silver/orders'?",
    );
    expect(error.message).toContain(`gold/revenue (defined at ${revenue.definedAt})`);
    expect(error.message).toContain(THIS_FILE);
  });

  it('gives no suggestion when no key is close', () => {
    const revenue = asset({ key: 'gold/revenue', deps: { orders: 'completely/different' }, materialize });
    const error = buildError([asset({ key: 'silver/orders', materialize }), revenue]);
    expect(error.message).toContain("depends on unknown key 'completely/different'");
    expect(error.message).not.toContain('did you mean');
  });

  it('reports a dependency on an asset object that was not handed over', () => {
    const hidden = asset({ key: 'silver/hidden', materialize });
    const revenue = asset({ key: 'gold/revenue', deps: { hidden }, materialize });
    const error = buildError([revenue]);
    expect(error.message).toContain("depends on asset 'silver/hidden', which is not part of the project");
    expect(error.message).toContain(`silver/hidden (defined at ${hidden.definedAt})`);
  });

  it('reports a cycle with its path and where each asset is defined', () => {
    const a = asset({ key: 'a', deps: { b: 'b' }, materialize });
    const b = asset({ key: 'b', deps: { c: 'c' }, materialize });
    const c = asset({ key: 'c', deps: { a: 'a' }, materialize });
    const downstream = asset({ key: 'd', deps: { a }, materialize });
    const error = buildError([downstream, c, b, a]);
    expect(error.message).toContain(
      `dependency cycle (→ means "depends on"): a (${a.definedAt}) → b (${b.definedAt}) → c (${c.definedAt}) → a (${a.definedAt})`,
    );
    expect(error.message).toContain(THIS_FILE);
    // An asset downstream of a cycle is not part of it.
    expect(error.culprits.map((culprit) => culprit.key)).toEqual(['a', 'b', 'c']);
    expect(lineOf(a)).toMatch(new RegExp(`^${THIS_FILE.replace('.', '\\.')}:\\d+$`));
  });

  it('reports the shortest cycle through the smallest key, and self-dependencies', () => {
    // x → y → x and x → z → w → x share x: one component, shortest cycle shown.
    const x = asset({ key: 'x', deps: { z: 'z', y: 'y' }, materialize });
    const y = asset({ key: 'y', deps: { x: 'x' }, materialize });
    const z = asset({ key: 'z', deps: { w: 'w' }, materialize });
    const w = asset({ key: 'w', deps: { x: 'x' }, materialize });
    const self = asset({ key: 'self', deps: { me: 'self' }, materialize });
    const error = buildError([y, z, w, x, self]);
    expect(error.message).toContain(`self (${self.definedAt}) → self (${self.definedAt})`);
    expect(error.message).toContain(`w (${w.definedAt}) → x (${x.definedAt}) → z (${z.definedAt}) → w`);
  });

  it('reports every problem at once, one numbered line each', () => {
    const orders = asset({ key: 'silver/orders', materialize });
    const again = asset({ key: 'silver/orders', materialize });
    const revenue = asset({ key: 'gold/revenue', deps: { orders: 'silver/order' }, materialize });
    const a = asset({ key: 'loop/a', deps: { b: 'loop/b' }, materialize });
    const b = asset({ key: 'loop/b', deps: { a }, materialize });
    const error = buildError([orders, again, revenue, a, b]);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('3 problems in asset definitions:');
    expect(lines[1]).toMatch(/^1\. key 'silver\/orders' is defined 2 times/);
    expect(lines[2]).toMatch(/^2\. dependency cycle .*loop\/a .*→ loop\/b .*→ loop\/a/);
    expect(lines[3]).toMatch(/^3\. asset 'gold\/revenue' input 'orders' .* did you mean 'silver\/orders'\?$/);
    expect(lines[4]).toBe('assets involved:');
    for (const definition of [orders, again, revenue, a, b]) {
      expect(error.message).toContain(`${definition.key} (defined at ${definition.definedAt})`);
    }
    expect(error.culprits).toHaveLength(5);
  });

  it('lists cycles before unknown dependencies, which can be many', () => {
    const definitions = Array.from({ length: 60 }, (_, i) =>
      asset({ key: `a${i}`, deps: { x: `missing${i}` }, materialize }),
    );
    const loop = asset({ key: 'zz/loop', deps: { me: 'zz/loop' }, materialize });
    const error = buildError([...definitions, loop]);
    expect(error.message.split('\n')[1]).toMatch(/^1\. dependency cycle .*zz\/loop/);
  });

  it('caps the number of problems listed', () => {
    const definitions = Array.from({ length: 80 }, (_, i) =>
      asset({ key: `a${i}`, deps: { x: `missing${i}` }, materialize }),
    );
    const error = buildError(definitions);
    expect(error.message.split('\n')[0]).toBe('80 problems in asset definitions:');
    expect(error.message).toContain('… and 30 more');
    expect(error.message).not.toContain("'missing50'");
  });

  it('reports partitions that do not fit, naming the asset, the input, the upstream and their files', () => {
    const days = asset({ key: 'silver/days', partitions: dailyPartitions({ start: '2025-01-01' }), materialize });
    const months = asset({
      key: 'gold/months',
      partitions: monthlyPartitions({ start: '2025-01' }),
      deps: { days },
      materialize,
    });
    const plain = asset({ key: 'bronze/plain', materialize });
    const shifted = asset({
      key: 'gold/shifted',
      partitions: dailyPartitions({ start: '2025-01-01' }),
      deps: { plain: withMapping(plain, timeWindow({ offset: -1 })) },
      materialize,
    });
    const error = buildError([days, months, plain, shifted]);
    expect(error.message).toContain(
      "asset 'gold/months' input 'days' (from 'silver/days'): a monthly partition spans several daily partitions of the upstream: read them all with withMapping(upstream, manyToOne())",
    );
    expect(error.message).toContain(
      "asset 'gold/shifted' input 'plain' (from 'bronze/plain'): the upstream is not partitioned",
    );
    expect(error.culprits.map((c) => c.key)).toEqual(['gold/months', 'silver/days', 'gold/shifted', 'bronze/plain']);
    expect(error.message).toContain(`silver/days (defined at `);
    expect(error.message).toContain(`${THIS_FILE}:`);
  });

  it('rejects an invalid partitions definition in asset(), naming the asset and its file', () => {
    expect(() => asset({ key: 'gold/bad', partitions: dailyPartitions({ start: '2025-02-30' }), materialize })).toThrow(
      /asset 'gold\/bad' has invalid partitions: dailyPartitions start: '2025-02-30' is not a valid daily boundary[^]*gold\/bad \(defined at .*graph-validation\.test\.ts:\d+\)/,
    );
    expect(() =>
      asset({ key: 'gold/bad', deps: { x: withMapping('x', timeWindow({ offset: 0.5 })) }, materialize }),
    ).toThrow(/input 'x' has an invalid mapping: timeWindow offset must be an integer/);
  });
});
