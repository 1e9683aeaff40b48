import { describe, expect, it } from 'vitest';
import { AssetGraph, collectDefinitions } from '../../src/graph/index.js';
import type { AssetContext } from '../../src/index.js';
import * as typed from './typed-inputs.types.js';

// The type tests live in typed-inputs.types.ts (checked by tsc); this makes sure the module also
// loads, its assets form a valid graph, and the typed inputs are what a materialize really gets.
describe('typed-inputs.types.ts', () => {
  it('defines a valid graph of assets', () => {
    const graph = AssetGraph.build(collectDefinitions(typed as Record<string, unknown>));
    expect(graph.keys).toContain('types/order-summary');
    expect(graph.upstreamOf('types/mixed')).toEqual(expect.arrayContaining(['types/orders', 'types/vendor-feed']));
    expect(graph.keys.indexOf('types/orders')).toBeLessThan(graph.keys.indexOf('types/order-summary'));
  });

  it('materializes with the inputs its types promise', async () => {
    // Only assets whose bodies are safe to run: others hold @ts-expect-error lines that throw.
    const ctx = {} as AssetContext;
    const totals = await typed.asyncTotals.materialize(ctx, {} as never);
    expect(totals).toEqual({ total: 42, currency: 'EUR' });
    expect(await typed.usesAsync.materialize(ctx, { totals } as never)).toBe(84);
    const orders = await typed.orders.materialize(ctx, {} as never);
    const names = await typed.orderNames.materialize(ctx, { orders, summary: { count: 2, ids: [1, 2] } } as never);
    expect(names).toBe('a,b');
  });
});
