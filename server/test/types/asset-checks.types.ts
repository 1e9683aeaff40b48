/**
 * Compile-time tests of asset checks' typing: a check's value is the asset's output as stored
 * (`StoredOutput`), and a check written for another shape does not compile. Checked by
 * `npx tsc -p tsconfig.json --noEmit`; each `@ts-expect-error` is a negative test paired with a
 * positive line that compiles (see typed-inputs.types.ts). asset-checks.test.ts loads the module.
 *
 * When `materialize` has untyped parameters (`(ctx, inputs) => …`, the usual case), TypeScript
 * resolves the `check(...)` calls before it knows the output type, so an unannotated value is
 * `unknown`: checks annotate it, and the annotation is checked against the output.
 */
import { Readable } from 'node:stream';
import { expectTypeOf } from 'vitest';
import { asset, check, type AssetCheck, type CheckContext } from '../../src/index.js';
import { assertTrue, type Equals } from './typed-inputs.types.js';

interface Order {
  id: number | null;
  placedAt: Date;
  amount: number;
}

export const orders = asset({
  key: 'checks/orders',
  materialize: (): Order[] => [{ id: 1, placedAt: new Date(), amount: 5 }],
  checks: [
    check('no null ids', (ctx, rows: Array<{ id: number | null }>) => {
      expectTypeOf(ctx).toEqualTypeOf<CheckContext>();
      return rows.every((row) => row.id !== null);
    }),
    // Stored as JSON, a Date is an ISO string: the check sees what downstream assets see.
    check('placed in the past', (_ctx, rows: Array<{ placedAt: string }>) => ({
      passed: rows.every((row) => Date.parse(row.placedAt) <= Date.now()),
      message: 'all placed',
      metadata: { rows: rows.length, ok: true, note: 'x' },
    })),
    check('async, warn only', async (_ctx, rows: readonly Order[] | unknown) => Array.isArray(rows), {
      severity: 'warn',
      description: 'an async check',
    }),
    // `materialize` has no untyped parameter here, so the output type is known early enough
    // for an unannotated value to be inferred (see `totals` for when it is not).
    check('inferred', (_ctx, rows) => {
      expectTypeOf(rows).toEqualTypeOf<Array<{ id: number | null; placedAt: string; amount: number }>>();
      // @ts-expect-error -- stored, `placedAt` is a string
      rows[0]!.placedAt.getTime();
      return rows.length > 0;
    }),
    // @ts-expect-error -- stored, `placedAt` is a string, not a Date
    check('dates are dates', (_ctx, rows: Order[]) => rows.every((row) => row.placedAt.getTime() > 0)),
    // @ts-expect-error -- the output is a list of orders, not a number
    check('wrong shape', (_ctx, n: number) => n > 0),
  ],
});
// Checks do not disturb the inference of the asset's output type.
assertTrue<Equals<NonNullable<(typeof orders)['__output']>, Order[]>>();

// A reusable check, written once for any list.
const nonEmpty = check('non-empty', (_ctx, rows: readonly unknown[]) => rows.length > 0);
assertTrue<Equals<typeof nonEmpty, AssetCheck<readonly unknown[]>>>();

export const totals = asset({
  key: 'checks/totals',
  deps: { orders },
  materialize: (_ctx, { orders: list }) => list.map((order) => order.amount),
  checks: [
    nonEmpty,
    check('positive', (_ctx, amounts: number[]) => amounts.every((a) => a > 0)),
    // Unannotated behind a `materialize` with untyped parameters: `unknown`, never silently `any`.
    check('unannotated', (_ctx, value) => {
      expectTypeOf(value).toEqualTypeOf<unknown>();
      // @ts-expect-error -- unknown: narrow or annotate before use
      void value.length;
      return Array.isArray(value);
    }),
    // @ts-expect-error -- the output is a list of numbers
    check('strings', (_ctx, values: string[]) => values.length > 0),
  ],
});
assertTrue<Equals<NonNullable<(typeof totals)['__output']>, number[]>>();

export const count = asset({
  key: 'checks/count',
  materialize: async () => 3,
  checks: [
    check('small', (_ctx, n: number) => n < 10),
    // @ts-expect-error -- a number is not a list
    nonEmpty,
  ],
});
assertTrue<Equals<NonNullable<(typeof count)['__output']>, number>>();

// A stream output is checked as a fresh stream read back from the store.
export const feed = asset({
  key: 'checks/feed',
  materialize: () => Readable.from(['a\n']),
  checks: [
    check('has bytes', async (_ctx, body: Readable) => {
      for await (const chunk of body) return (chunk as Buffer).length > 0;
      return false;
    }),
    // @ts-expect-error -- a stream output is not handed over as a Buffer
    check('as buffer', (_ctx, body: Buffer) => body.length > 0),
  ],
});

// asset() validates these at run time too (and would throw): never called, only type-checked.
export function invalidChecks(): void {
  asset({
    key: 'checks/bad-severity',
    materialize: () => 1,
    // @ts-expect-error -- severity is 'warn' | 'error'
    checks: [check('x', () => true, { severity: 'fatal' })],
  });
  asset({
    key: 'checks/bad-result',
    materialize: () => 1,
    // @ts-expect-error -- a check returns a boolean or { passed, message?, metadata? }
    checks: [check('x', () => 'ok')],
  });
  asset({
    key: 'checks/bad-metadata',
    materialize: () => 1,
    // @ts-expect-error -- metadata values are number | string | boolean
    checks: [check('x', () => ({ passed: true, metadata: { nested: { n: 1 } } }))],
  });
  asset({
    key: 'checks/not-a-check',
    materialize: () => 1,
    // @ts-expect-error -- checks are made by check(...)
    checks: [() => true],
  });
}
