import { describe, expect, it } from 'vitest';
import { asset } from '../sdk/asset.js';
import { sourceAsset } from '../sdk/source-asset.js';
import { AssetGraph } from './asset-graph.js';
import { parseSelection, SelectionError } from './selection.js';

const materialize = (): undefined => undefined;

// vendor → bronze/orders → silver/orders → gold/revenue
//                bronze/customers ↗        ↘ gold/report (tag pii)
const vendor = sourceAsset({ key: 'vendor/drop', group: 'external' });
const bronzeOrders = asset({ key: 'bronze/orders', group: 'bronze', deps: { vendor }, materialize });
const bronzeCustomers = asset({ key: 'bronze/customers', group: 'bronze', tags: ['pii'], materialize });
const silverOrders = asset({
  key: 'silver/orders',
  group: 'silver',
  tags: { tier: 'silver' },
  deps: { orders: bronzeOrders, customers: bronzeCustomers },
  materialize,
});
const revenue = asset({
  key: 'gold/revenue',
  group: 'gold',
  tags: { tier: 'gold' },
  deps: { orders: silverOrders },
  materialize,
});
const report = asset({
  key: 'gold/reports/daily',
  group: 'gold',
  tags: ['pii'],
  deps: { orders: silverOrders },
  materialize,
});
const graph = AssetGraph.build([vendor, bronzeOrders, bronzeCustomers, silverOrders, revenue, report]);

function selectionError(selection: string): SelectionError {
  try {
    graph.select(selection);
  } catch (error) {
    expect(error).toBeInstanceOf(SelectionError);
    return error as SelectionError;
  }
  throw new Error(`expected '${selection}' to be rejected`);
}

describe('selection', () => {
  it('selects everything with *', () => {
    expect(graph.select('*')).toEqual(graph.keys);
    expect(graph.keys).toContain('vendor/drop');
  });

  it('selects a single key', () => {
    expect(graph.select('silver/orders')).toEqual(['silver/orders']);
  });

  it('adds upstream with a leading +', () => {
    expect(graph.select('+silver/orders')).toEqual([
      'bronze/customers',
      'vendor/drop',
      'bronze/orders',
      'silver/orders',
    ]);
  });

  it('adds downstream with a trailing +', () => {
    expect(graph.select('bronze/orders+')).toEqual([
      'bronze/orders',
      'silver/orders',
      'gold/reports/daily',
      'gold/revenue',
    ]);
  });

  it('adds both with +key+', () => {
    expect(graph.select('+bronze/orders+')).toEqual([
      'vendor/drop',
      'bronze/orders',
      'silver/orders',
      'gold/reports/daily',
      'gold/revenue',
    ]);
  });

  it('selects a group, with or without + modifiers', () => {
    expect(graph.select('group:gold')).toEqual(['gold/reports/daily', 'gold/revenue']);
    expect(graph.select('+group:bronze')).toEqual(['bronze/customers', 'vendor/drop', 'bronze/orders']);
    expect(graph.select('group:silver+')).toEqual(['silver/orders', 'gold/reports/daily', 'gold/revenue']);
    expect(graph.select('+group:silver+')).toEqual(graph.keys);
  });

  it('selects by tag name and by tag value', () => {
    expect(graph.select('tag:pii')).toEqual(['bronze/customers', 'gold/reports/daily']);
    expect(graph.select('tag:tier')).toEqual(['silver/orders', 'gold/revenue']);
    expect(graph.select('tag:tier=gold')).toEqual(['gold/revenue']);
    expect(graph.select('+tag:tier=gold')).toEqual([
      'bronze/customers',
      'vendor/drop',
      'bronze/orders',
      'silver/orders',
      'gold/revenue',
    ]);
  });

  it('selects by glob: * within a segment, ** across, ? one character', () => {
    expect(graph.select('bronze/*')).toEqual(['bronze/customers', 'bronze/orders']);
    expect(graph.select('gold/*')).toEqual(['gold/revenue']);
    expect(graph.select('gold/**')).toEqual(['gold/reports/daily', 'gold/revenue']);
    expect(graph.select('*/orders')).toEqual(['bronze/orders', 'silver/orders']);
    expect(graph.select('gold/reven?e')).toEqual(['gold/revenue']);
    expect(graph.select('bronze/*+')).toEqual([
      'bronze/customers',
      'bronze/orders',
      'silver/orders',
      'gold/reports/daily',
      'gold/revenue',
    ]);
  });

  it('unites terms separated by commas or whitespace, upstream first, without repeats', () => {
    expect(graph.select('gold/revenue, bronze/orders')).toEqual(['bronze/orders', 'gold/revenue']);
    expect(graph.select(' gold/revenue  bronze/orders,,silver/orders ')).toEqual([
      'bronze/orders',
      'silver/orders',
      'gold/revenue',
    ]);
    expect(graph.select('+gold/revenue,+gold/reports/daily')).toEqual([
      'bronze/customers',
      'vendor/drop',
      'bronze/orders',
      'silver/orders',
      'gold/reports/daily',
      'gold/revenue',
    ]);
  });

  it('parses terms into targets and modifiers', () => {
    expect(parseSelection('+group:gold+, tag:tier=gold bronze/*')).toEqual([
      { text: '+group:gold+', target: { kind: 'group', group: 'gold' }, upstream: true, downstream: true },
      {
        text: 'tag:tier=gold',
        target: { kind: 'tag', tag: 'tier', value: 'gold' },
        upstream: false,
        downstream: false,
      },
      { text: 'bronze/*', target: { kind: 'glob', pattern: 'bronze/*' }, upstream: false, downstream: false },
    ]);
  });
});

describe('selection errors', () => {
  it('names an unknown key and suggests the closest one', () => {
    expect(selectionError('silver/order').message).toBe(
      "unknown asset key 'silver/order': did you mean 'silver/orders'?",
    );
    expect(selectionError('+gold/revenu+').message).toBe(
      "unknown asset key 'gold/revenu' (in '+gold/revenu+'): did you mean 'gold/revenue'?",
    );
    expect(selectionError('nothing/like/it').message).toBe("unknown asset key 'nothing/like/it'");
  });

  it('rejects a group, tag or glob that matches nothing', () => {
    expect(selectionError('group:gld').message).toBe("no asset is in group 'gld': did you mean 'group:gold'?");
    expect(selectionError('+group:gld').message).toBe(
      "no asset is in group 'gld' (in '+group:gld'): did you mean 'group:gold'?",
    );
    expect(selectionError('tag:pi').message).toBe("no asset has tag 'pi': did you mean 'tag:pii'?");
    expect(selectionError('tag:pi+').message).toBe("no asset has tag 'pi' (in 'tag:pi+'): did you mean 'tag:pii'?");
    expect(selectionError('tag:tier=platinum').message).toBe(
      "no asset has tag 'tier' with value 'platinum': its values are 'gold', 'silver'",
    );
    expect(selectionError('platinum/*').message).toBe("no asset key matches 'platinum/*'");
  });

  it('rejects malformed terms', () => {
    expect(selectionError('').message).toMatch(/^empty selection: use '\*'/);
    expect(selectionError(' , ').message).toMatch(/^empty selection/);
    expect(selectionError('+').message).toBe("'+': '+' must be attached to a key, group: or tag: term");
    expect(selectionError('++').message).toBe("'++': '+' must be attached to a key, group: or tag: term");
    expect(selectionError('a+b').message).toBe("'a+b': '+' is only allowed at the start or end of a term");
    expect(selectionError('group:').message).toBe("'group:': group name missing after group:");
    expect(selectionError('tag:=x').message).toBe("'tag:=x': tag name missing after tag:");
    expect(selectionError('owner:me').message).toMatch(/^'owner:me': unknown selector 'owner:': use '\*', a key/);
  });

  it('reports every offending term at once', () => {
    const error = selectionError('silver/order, gold/revenue, group:nope, tag:x');
    expect(error.problems).toHaveLength(3);
    expect(error.message.split('\n')).toEqual([
      '3 problems in selection:',
      "  - unknown asset key 'silver/order': did you mean 'silver/orders'?",
      "  - no asset is in group 'nope'",
      "  - no asset has tag 'x'",
    ]);
    expect(selectionError('+, group:').problems).toHaveLength(2);
  });

  it('still checks the other terms next to *', () => {
    expect(selectionError('*, silver/order').message).toBe(
      "unknown asset key 'silver/order': did you mean 'silver/orders'?",
    );
  });

  it('selects nothing with * on an empty project', () => {
    expect(AssetGraph.build([]).select('*')).toEqual([]);
  });
});
