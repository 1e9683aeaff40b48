/**
 * Compile-time tests of the authoring SDK's typing: `materialize(ctx, inputs)` receives each
 * upstream's output typed from the upstream's return type (after storage: `StoredOutput`).
 *
 * This file is checked by `npx tsc -p tsconfig.json --noEmit` (tsconfig.json includes `test`).
 * Every `@ts-expect-error` below is a negative test: if the SDK's types became looser (e.g. an
 * input degraded to `any`), the directive would be unused and tsc would fail. Each one is paired
 * with a positive line nearby that compiles, so the error is the one we mean and not, say, a
 * "possibly undefined" error (tsconfig has `noUncheckedIndexedAccess`, hence the `!` on `[0]`).
 *
 * Nothing here needs to run, but the module is importable: typed-inputs.test.ts builds a graph
 * from its exports and runs one `materialize`.
 */
import { Readable } from 'node:stream';
import { expectTypeOf } from 'vitest';
import {
  asset,
  sourceAsset,
  type AssetContext,
  type InputsOf,
  type Jsonified,
  type ObservationInput,
  type PayloadRef,
  type StoredOutput,
} from '../../src/index.js';

/** `true` only when A and B are the same type (not merely mutually assignable; `any` ≠ others). */
export type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when given `true`. */
export const assertTrue = <T extends true>(_proof?: T): void => undefined;
/** Compiles only when `value` is assignable to `T`. */
export const assertType = <T>(_value: T): void => undefined;

// ——— JSON outputs ————————————————————————————————————————————————————————————

interface Order {
  id: number;
  name: string;
}

export const orders = asset({
  key: 'types/orders',
  materialize: (): Order[] => [
    { id: 1, name: 'a' },
    { id: 2, name: 'b' },
  ],
});
// The asset object carries its (unwrapped) output type.
assertTrue<Equals<NonNullable<(typeof orders)['__output']>, Order[]>>();

export const orderSummary = asset({
  key: 'types/order-summary',
  deps: { orders },
  materialize: (_ctx, inputs) => {
    assertTrue<Equals<typeof inputs.orders, Order[]>>();
    expectTypeOf(inputs.orders).toEqualTypeOf<{ id: number; name: string }[]>();
    expectTypeOf(inputs.orders[0]!.id).toEqualTypeOf<number>();
    expectTypeOf(inputs.orders[0]!.name).toEqualTypeOf<string>();
    const id: number = inputs.orders[0]!.id;
    const name: string = inputs.orders[0]!.name;
    name.toUpperCase();
    id.toFixed(2);

    // @ts-expect-error -- `missing` is not a field of Order
    void inputs.orders[0]!.missing;
    // @ts-expect-error -- `id` is a number, not a string
    const wrong: string = inputs.orders[0]!.id;
    // @ts-expect-error -- `name` is a string: no toFixed()
    inputs.orders[0]!.name.toFixed(2);
    // @ts-expect-error -- `nope` is not a declared dependency
    void inputs.nope;
    // @ts-expect-error -- inputs are read-only
    inputs.orders = [];

    void wrong;
    return { count: inputs.orders.length, ids: inputs.orders.map((order) => order.id) };
  },
});

// Destructured inputs are typed the same way.
export const orderNames = asset({
  key: 'types/order-names',
  deps: { orders, summary: orderSummary },
  materialize: (_ctx, { orders: list, summary }) => {
    expectTypeOf(list).toEqualTypeOf<Order[]>();
    expectTypeOf(summary).toEqualTypeOf<{ count: number; ids: number[] }>();
    // @ts-expect-error -- `ids` holds numbers
    const firstId: string = summary.ids[0]!;
    void firstId;
    return list.map((order) => order.name).join(',');
  },
});

// ——— async upstream: the Promise is unwrapped ——————————————————————————————————

export const asyncTotals = asset({
  key: 'types/async-totals',
  materialize: async () => ({ total: 42, currency: 'EUR' as const }),
});
assertTrue<Equals<NonNullable<(typeof asyncTotals)['__output']>, { total: number; currency: 'EUR' }>>();

export const usesAsync = asset({
  key: 'types/uses-async',
  deps: { totals: asyncTotals },
  materialize: (_ctx, inputs) => {
    expectTypeOf(inputs.totals).toEqualTypeOf<{ total: number; currency: 'EUR' }>();
    const total: number = inputs.totals.total;
    // @ts-expect-error -- not a Promise any more: there is no then()
    void inputs.totals.then;
    // @ts-expect-error -- currency is the literal 'EUR'
    const usd: 'USD' = inputs.totals.currency;
    void usd;
    return total * 2;
  },
});

// ——— Dates are stored as JSON: they arrive as strings ———————————————————————————

export const events = asset({
  key: 'types/events',
  materialize: async () => [{ at: new Date(), nested: { when: new Date(), label: 'x' } }],
});

export const usesEvents = asset({
  key: 'types/uses-events',
  deps: { events },
  materialize: (_ctx, { events: list }) => {
    const first = list[0]!;
    expectTypeOf(first.at).toEqualTypeOf<string>();
    expectTypeOf(first.nested.when).toEqualTypeOf<string>();
    expectTypeOf(first.nested.label).toEqualTypeOf<string>();
    const at: string = first.at;
    Date.parse(at);
    // @ts-expect-error -- a stored Date is an ISO string: no getTime()
    first.at.getTime();
    // @ts-expect-error -- nested Dates too
    first.nested.when.getTime();
    return at;
  },
});
assertTrue<Equals<Jsonified<{ at: Date; n: number }>, { at: string; n: number }>>();

// ——— binary outputs ————————————————————————————————————————————————————————————

export const blob = asset({
  key: 'types/blob',
  materialize: () => Buffer.from('hello'),
});

export const usesBlob = asset({
  key: 'types/uses-blob',
  deps: { blob },
  materialize: (_ctx, inputs) => {
    expectTypeOf(inputs.blob).toEqualTypeOf<Buffer>();
    const text: string = inputs.blob.toString('utf8');
    // @ts-expect-error -- a Buffer is not a string
    const asString: string = inputs.blob;
    // @ts-expect-error -- and has no string methods such as toUpperCase()
    inputs.blob.toUpperCase();
    void asString;
    return text.length;
  },
});

export const stream = asset({
  key: 'types/stream',
  materialize: () => Readable.from(['a,b\n', '1,2\n']),
});

async function* generateChunks(): AsyncGenerator<Uint8Array> {
  yield new Uint8Array([1, 2, 3]);
}
export const chunks = asset({
  key: 'types/chunks',
  materialize: () => generateChunks(),
});

export const usesStreams = asset({
  key: 'types/uses-streams',
  deps: { stream, chunks },
  materialize: async (_ctx, inputs) => {
    expectTypeOf(inputs.stream).toEqualTypeOf<Readable>();
    // An async iterable of bytes is stored as a stream and read back as one.
    expectTypeOf(inputs.chunks).toEqualTypeOf<Readable>();
    inputs.stream.pipe(process.stdout);
    // @ts-expect-error -- a Readable is not a string
    const asString: string = inputs.stream;
    // @ts-expect-error -- a Readable is not a Buffer
    const asBuffer: Buffer = inputs.chunks;
    void asString;
    void asBuffer;
    let bytes = 0;
    for await (const chunk of inputs.chunks) bytes += (chunk as Buffer).length;
    return bytes;
  },
});

// ——— payload references written by the asset itself ———————————————————————————

export const report = asset({
  key: 'types/report',
  materialize: async (ctx) => ctx.store.write('report.csv', 'a,b\n1,2\n', { contentType: 'text/csv' }),
});
assertTrue<Equals<NonNullable<(typeof report)['__output']>, PayloadRef>>();

export const usesReport = asset({
  key: 'types/uses-report',
  deps: { report },
  materialize: async (ctx, inputs) => {
    expectTypeOf(inputs.report).toEqualTypeOf<PayloadRef>();
    const uri: string = inputs.report.uri;
    const size: number = inputs.report.size;
    const body: Readable = await ctx.store.open(inputs.report);
    // @ts-expect-error -- size is a number
    const sizeText: string = inputs.report.size;
    // @ts-expect-error -- a PayloadRef is not the bytes themselves: no Buffer methods
    inputs.report.subarray(0, 1);
    void sizeText;
    body.destroy();
    return { uri, size };
  },
});

// ——— untyped (key string) and source dependencies ——————————————————————————————

export const feed = sourceAsset({ key: 'types/vendor-feed' });

export const mixed = asset({
  key: 'types/mixed',
  deps: { byKey: 'types/orders', feed, orders },
  materialize: (_ctx, inputs) => {
    expectTypeOf(inputs.byKey).toEqualTypeOf<unknown>();
    expectTypeOf(inputs.feed).toEqualTypeOf<ObservationInput>();
    expectTypeOf(inputs.orders).toEqualTypeOf<Order[]>();

    // @ts-expect-error -- a key-string dependency is `unknown`: narrow it before use
    void inputs.byKey.length;
    // @ts-expect-error -- unknown is not assignable to a concrete type
    const fromKey: Order[] = inputs.byKey;
    void fromKey;
    const narrowed = Array.isArray(inputs.byKey) ? inputs.byKey.length : 0;

    // @ts-expect-error -- the source may never have been observed: undefined until checked
    void inputs.feed.observedAt;
    const observedAt: string | undefined = inputs.feed?.observedAt;
    if (inputs.feed) {
      expectTypeOf(inputs.feed.observedAt).toEqualTypeOf<string>();
      expectTypeOf(inputs.feed.dataVersion).toEqualTypeOf<string | undefined>();
      expectTypeOf(inputs.feed.metadata).toEqualTypeOf<Readonly<Record<string, unknown>>>();
      // @ts-expect-error -- dataVersion may be undefined
      const version: string = inputs.feed.dataVersion;
      void version;
    }
    return { narrowed, observedAt: observedAt ?? null };
  },
});

// ——— the context ————————————————————————————————————————————————————————————————

export const usesContext = asset({
  key: 'types/uses-context',
  materialize: (ctx) => {
    expectTypeOf(ctx).toEqualTypeOf<AssetContext>();
    expectTypeOf(ctx.attemptNumber).toEqualTypeOf<number>();
    expectTypeOf(ctx.partition).toEqualTypeOf<string | undefined>();
    expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
    const attempt: number = ctx.attemptNumber;
    ctx.metadata({ rows: 10, label: 'ok', complete: true });
    ctx.log.info('done', { attempt });
    // @ts-expect-error -- metadata values are number | string | boolean, not objects
    ctx.metadata({ nested: { rows: 10 } });
    // @ts-expect-error -- nor arrays
    ctx.metadata({ list: [1, 2] });
    // @ts-expect-error -- nor null
    ctx.metadata({ missing: null });
    // @ts-expect-error -- attemptNumber is a number
    const attemptText: string = ctx.attemptNumber;
    // @ts-expect-error -- the context is read-only
    ctx.attemptNumber = 2;
    void attemptText;
    return attempt;
  },
});

// ——— the spec itself ———————————————————————————————————————————————————————————

// asset() validates these at run time too (and would throw): never called, only type-checked.
export function invalidSpecs(): void {
  asset({
    key: 'types/bad-spec',
    // @ts-expect-error -- backoff is 'fixed' | 'exponential'
    retry: { backoff: 'linear' },
    materialize: () => 1,
  });
  asset({
    key: 'types/bad-dep',
    // @ts-expect-error -- a dependency is an asset, a source asset or a key string
    deps: { n: 42 },
    materialize: () => 1,
  });
}

// ——— the exported helper types agree with what materialize receives ————————————

type SummaryDeps = { orders: typeof orders; feed: typeof feed; key: 'types/x'; report: typeof report };
assertTrue<
  Equals<
    InputsOf<SummaryDeps>,
    { readonly orders: Order[]; readonly feed: ObservationInput; readonly key: unknown; readonly report: PayloadRef }
  >
>();
assertTrue<Equals<StoredOutput<Buffer>, Buffer>>();
assertTrue<Equals<StoredOutput<Readable>, Readable>>();
assertTrue<Equals<StoredOutput<AsyncGenerator<Uint8Array>>, Readable>>();
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Equals must tell a real type from `any`
type Any = any;
// @ts-expect-error -- Equals is strict: Order[] is not `any`
assertTrue<Equals<InputsOf<SummaryDeps>['orders'], Any>>();
