import { describe, expect, it } from 'vitest';
import { AssetGraph, collectDefinitions } from '../../src/graph/index.js';
import type { CheckContext } from '../../src/index.js';
import * as typed from './asset-checks.types.js';

// The type tests live in asset-checks.types.ts (checked by tsc); this makes sure the module also
// loads, its checks are attached in order, and a typed check judges a stored-shaped value.
describe('asset-checks.types.ts', () => {
  it('defines a valid graph whose assets carry their checks', () => {
    const graph = AssetGraph.build(collectDefinitions(typed as Record<string, unknown>));
    expect(graph.keys).toEqual(expect.arrayContaining(['checks/orders', 'checks/totals', 'checks/feed']));
    expect(typed.totals.checks.map((c) => c.name)).toEqual(['non-empty', 'positive', 'unannotated', 'strings']);
    expect(typed.orders.checks.find((c) => c.name === 'async, warn only')!.severity).toBe('warn');
  });

  it('runs a check on the value as stored', async () => {
    const placed = typed.orders.checks.find((c) => c.name === 'placed in the past')!;
    const stored = [{ id: 1, placedAt: '2025-01-01T00:00:00.000Z', amount: 5 }];
    expect(await placed.fn({} as CheckContext, stored as never)).toEqual({
      passed: true,
      message: 'all placed',
      metadata: { rows: 1, ok: true, note: 'x' },
    });
  });
});
