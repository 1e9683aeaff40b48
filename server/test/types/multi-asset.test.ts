import { describe, expect, it } from 'vitest';
import { AssetGraph, collectDefinitions } from '../../src/graph/index.js';
import * as typed from './multi-asset.types.js';

describe('multi-asset.types.ts', () => {
  it('collects each output of an exported multi-asset as its own asset in the graph', () => {
    const graph = AssetGraph.build(collectDefinitions({ shop: typed.shop, count: typed.orderCount }));
    expect([...graph.keys].sort()).toEqual(['types/multi-customers', 'types/multi-order-count', 'types/multi-orders']);
    expect([...graph.upstreamOf('types/multi-order-count')].sort()).toEqual([
      'types/multi-customers',
      'types/multi-orders',
    ]);
  });
});
