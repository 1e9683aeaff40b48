/**
 * Compile-time tests of resources: `ctx.resources` of an asset, a check and a sensor is typed
 * from its `resources` map, each entry as its resource's `create` returns (awaited). Checked by
 * tsc like typed-inputs.types.ts; each `@ts-expect-error` is a negative test paired with a
 * positive line nearby. resources.test.ts loads the module.
 */
import { expectTypeOf } from 'vitest';
import { asset, byEnv, check, env, resource, secret, sensor, type Resolved } from '../../src/index.js';

interface Warehouse {
  readonly url: string;
  query(sql: string): Promise<number[]>;
}

export const warehouse = resource({
  key: 'types_warehouse',
  config: {
    url: env('TYPES_WH_URL', 'pg://localhost'),
    password: secret('TYPES_WH_PASSWORD'),
    schema: byEnv({ dev: 'dev', prod: 'analytics' }),
    port: 5432,
  },
  create: async (config): Promise<Warehouse> => {
    expectTypeOf(config).toEqualTypeOf<{ url: string; password: string; schema: string; port: number }>();
    return { url: config.url, query: async () => [1] };
  },
  dispose: (instance) => {
    expectTypeOf(instance).toEqualTypeOf<Warehouse>();
  },
});

export const counter = resource({ key: 'types_counter', config: {}, create: () => ({ n: 0 }) });

export const rows = asset({
  key: 'resource-types/rows',
  resources: { warehouse, counter },
  materialize: async (ctx) => {
    expectTypeOf(ctx.resources.warehouse).toEqualTypeOf<Warehouse>();
    expectTypeOf(ctx.resources.counter).toEqualTypeOf<{ n: number }>();
    // @ts-expect-error -- the asset names no resource 'bucket'
    void ctx.resources.bucket;
    // @ts-expect-error -- query takes SQL text
    void ctx.resources.warehouse.query(1);
    return ctx.resources.warehouse.query('select 1');
  },
  checks: [
    check(
      'has rows',
      async (ctx, value: number[]) => {
        expectTypeOf(ctx.resources.wh).toEqualTypeOf<Warehouse>();
        return value.length === (await ctx.resources.wh.query('select count(*)')).length;
      },
      { resources: { wh: warehouse } },
    ),
    check('no resources', (ctx, value: number[]) => {
      // @ts-expect-error -- a check without resources has none
      void ctx.resources.warehouse;
      return value.length > 0;
    }),
  ],
});

export const plain = asset({
  key: 'resource-types/plain',
  materialize: (ctx) => {
    expectTypeOf(ctx.resources).toEqualTypeOf<Record<never, never>>();
    return 1;
  },
});

export const watcher = sensor({
  name: 'resource_types_watcher',
  interval: '1m',
  resources: { warehouse },
  evaluate: async (ctx) => {
    expectTypeOf(ctx.resources.warehouse).toEqualTypeOf<Warehouse>();
    return { cursor: String((await ctx.resources.warehouse.query('x')).length) };
  },
});

expectTypeOf<Resolved<{ a: ReturnType<typeof env>; b: { c: number } }>>().toEqualTypeOf<{
  a: string;
  b: { c: number };
}>();
