/**
 * Compile-time tests of `multiAsset`: each output is an asset whose downstream input is typed
 * from what `materialize` returns for it. Checked by tsc (tsconfig.json includes `test`);
 * multi-asset.test.ts also loads it as a project.
 */
import { expectTypeOf } from 'vitest';
import { asset, multiAsset } from '../../src/index.js';

export const shop = multiAsset({
  name: 'types/shop',
  outputs: { orders: { key: 'types/multi-orders' }, customers: { key: 'types/multi-customers' } },
  materialize: (_ctx, _inputs, wanted) => {
    expectTypeOf(wanted).toEqualTypeOf<ReadonlyArray<'orders' | 'customers'>>();
    const orders: { id: number; at: Date }[] = [{ id: 1, at: new Date(0) }];
    const customers: string[] = ['ada'];
    return { orders, customers };
  },
});

export const orderCount = asset({
  key: 'types/multi-order-count',
  deps: { orders: shop.outputs.orders, customers: shop.outputs.customers },
  materialize: (_ctx, { orders, customers }) => {
    // Dates come back as strings after storage, like for any asset.
    expectTypeOf(orders).toEqualTypeOf<{ id: number; at: string }[]>();
    expectTypeOf(customers).toEqualTypeOf<string[]>();
    // @ts-expect-error customers are strings, not numbers
    const wrong: number[] = customers;
    return orders.length + wrong.length;
  },
});
