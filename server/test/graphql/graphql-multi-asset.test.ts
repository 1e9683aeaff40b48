import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import { multiAsset } from '../../src/sdk/multi-asset.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';

const raw = asset({ key: 'raw', materialize: () => [{ id: 1, customer: 'ada' }] });
const shop = multiAsset({
  name: 'shop',
  deps: { raw },
  outputs: { orders: { key: 'silver/orders' }, customers: { key: 'silver/customers' } },
  materialize: (_ctx, { raw: rows }, wanted) => ({
    ...(wanted.includes('orders') ? { orders: rows.map((row) => row.id) } : {}),
    ...(wanted.includes('customers') ? { customers: rows.map((row) => row.customer) } : {}),
  }),
});
const crm = asset({
  key: 'gold/crm',
  deps: { customers: shop.outputs.customers },
  materialize: (_ctx, { customers }) => customers.length,
});

describe('multi-assets in the GraphQL API', () => {
  let h: GraphQLHarness;
  beforeAll(async () => {
    h = await startGraphQL('pglite', [raw, shop.outputs.orders, shop.outputs.customers, crm]);
  });
  afterAll(async () => h?.close());

  it('lists each output as its own asset, with its own edges and its multi-asset', async () => {
    const response = await h.gql<{
      assetGraph: {
        nodes: Array<{ key: string; multiAsset: string | null; deps: string[] }>;
        edges: Array<{ from: string; to: string }>;
      };
    }>(`{ assetGraph { nodes { key multiAsset deps } edges { from to } } }`, {}, h.tokens.viewer);
    expect(response.errors).toBeUndefined();
    const { nodes, edges } = response.data!.assetGraph;
    const byKey = Object.fromEntries(nodes.map((node) => [node.key, node]));
    expect(Object.keys(byKey).sort()).toEqual(['gold/crm', 'raw', 'silver/customers', 'silver/orders']);
    expect(byKey['silver/orders']!.multiAsset).toBe('shop');
    expect(byKey['silver/customers']!.multiAsset).toBe('shop');
    expect(byKey['gold/crm']!.multiAsset).toBeNull();
    expect(byKey['silver/customers']!.deps).toEqual(['raw']);
    expect(edges).toEqual(
      expect.arrayContaining([
        { from: 'raw', to: 'silver/orders' },
        { from: 'raw', to: 'silver/customers' },
        { from: 'silver/customers', to: 'gold/crm' },
      ]),
    );
    expect(edges).not.toContainEqual({ from: 'silver/orders', to: 'gold/crm' });
  });
});
