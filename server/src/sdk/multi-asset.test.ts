import { describe, expect, it } from 'vitest';
import { multiAsset } from './multi-asset.js';
import { asset } from './asset.js';

describe('multiAsset', () => {
  const calls: string[][] = [];
  const shop = multiAsset({
    name: 'shop',
    outputs: { orders: { key: 'silver/orders' }, customers: { key: 'silver/customers', group: 'crm' } },
    materialize: (_ctx, _inputs, wanted) => {
      calls.push([...wanted]);
      return { orders: [1, 2], customers: ['a'] };
    },
  });

  it('exposes each output as its own asset with its own metadata', () => {
    expect(shop.outputs.orders.key).toBe('silver/orders');
    expect(shop.outputs.customers.group).toBe('crm');
    const downstream = asset({
      key: 'gold/n',
      deps: { orders: shop.outputs.orders },
      materialize: (_c, { orders }) => orders.length,
    });
    expect(downstream.deps.orders).toBe(shop.outputs.orders);
  });

  it('tells the function which output is wanted and rejects an unwanted one by name', async () => {
    await expect(shop.outputs.orders.materialize({} as never, {} as never)).rejects.toThrow(
      "multi-asset 'shop' returned unwanted output(s) customers",
    );
    expect(calls.at(-1)).toEqual(['orders']);
  });

  it('names a missing wanted output', async () => {
    const m = multiAsset({ name: 'm', outputs: { a: { key: 'a' } }, materialize: () => ({}) });
    await expect(m.outputs.a.materialize({} as never, {} as never)).rejects.toThrow(
      "multi-asset 'm' did not return wanted output(s) a",
    );
  });

  it('returns the wanted value', async () => {
    const m = multiAsset({
      name: 'm2',
      outputs: { a: { key: 'a2' }, b: { key: 'b2' } },
      materialize: (_c, _i, w) => (w.includes('a') ? { a: 5 } : { b: 6 }),
    });
    expect(await m.outputs.b.materialize({} as never, {} as never)).toBe(6);
  });

  it('gives each output its membership, so the engine can ask for several outputs in one call', async () => {
    const membership = shop.outputs.customers.multiAsset!;
    expect(membership).toMatchObject({
      name: 'shop',
      output: 'customers',
      keys: { orders: 'silver/orders', customers: 'silver/customers' },
    });
    const values = await membership.materializeOutputs({} as never, {} as never, ['orders', 'customers']);
    expect(calls.at(-1)).toEqual(['orders', 'customers']);
    expect(values).toEqual({ orders: [1, 2], customers: ['a'] });
    expect(shop.outputs.orders.multiAsset!.materializeOutputs).toBe(membership.materializeOutputs);
  });
});
