/**
 * Compile-time tests of run config: one schema gives the type of `ctx.config` (the schema's
 * output, so defaults are not optional). Checked by tsc like typed-inputs.types.ts; each
 * `@ts-expect-error` is a negative test paired with a positive line nearby.
 */
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import { asset, type ConfigOf } from '../../src/index.js';

const sampling = z.object({
  sampleSize: z.number().int().min(1).default(100),
  region: z.enum(['eu', 'us']),
  since: z.string().optional(),
});

export const sampled = asset({
  key: 'config-types/sampled',
  config: sampling,
  materialize: (ctx) => {
    expectTypeOf(ctx.config).toEqualTypeOf<{ sampleSize: number; region: 'eu' | 'us'; since?: string | undefined }>();
    const size: number = ctx.config.sampleSize;
    // @ts-expect-error -- a field the schema does not declare
    void ctx.config.sampelSize;
    // @ts-expect-error -- region is 'eu' | 'us', not any string
    const region: 'asia' = ctx.config.region;
    void region;
    return { size, region: ctx.config.region };
  },
});

// An asset without a schema has no config to read.
export const plain = asset({
  key: 'config-types/plain',
  deps: { sampled },
  materialize: (ctx, { sampled: upstream }) => {
    expectTypeOf(ctx.config).toEqualTypeOf<undefined>();
    expectTypeOf(upstream.size).toEqualTypeOf<number>();
    return upstream.size;
  },
});

expectTypeOf<ConfigOf<typeof sampling>>().toEqualTypeOf<z.output<typeof sampling>>();
expectTypeOf<ConfigOf<undefined>>().toEqualTypeOf<undefined>();

// Never called: asset() would throw at run time too (run-config.test.ts checks it).
export const notASchema = () =>
  asset({
    key: 'config-types/not-a-schema',
    // @ts-expect-error -- config must be a Standard Schema, not a plain object
    config: { sampleSize: 1 },
    materialize: () => 1,
  });
