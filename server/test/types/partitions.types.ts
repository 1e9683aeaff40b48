/**
 * Compile-time tests of partitioned inputs: an input's type follows its partition mapping (one
 * value, or a record of values by partition key). Checked by tsc like typed-inputs.types.ts;
 * every `@ts-expect-error` is a negative test paired with a positive line nearby.
 */
import {
  allPartitions,
  asset,
  dailyPartitions,
  identity,
  manyToOne,
  monthlyPartitions,
  staticPartitions,
  timeWindow,
  withMapping,
  type Asset,
} from '../../src/index.js';
import { assertTrue, type Equals } from './typed-inputs.types.js';

interface DayTotal {
  day: string;
  orders: number;
}

const daily = dailyPartitions({ start: '2025-01-01' });

export const plain = asset({ key: 'ptypes/plain', materialize: () => ({ rate: 1.1 }) });

export const days = asset({
  key: 'ptypes/days',
  partitions: daily,
  deps: { plain },
  materialize: (ctx, inputs): DayTotal => {
    // An unpartitioned upstream gives a partitioned asset its one (latest) value.
    assertTrue<Equals<typeof inputs.plain, { rate: number }>>();
    return { day: ctx.partition!, orders: Math.round(inputs.plain.rate * 3) };
  },
});
// The asset object says whether it is partitioned.
assertTrue<Equals<typeof days, Asset<DayTotal, true>>>();
assertTrue<Equals<typeof plain, Asset<{ rate: number }, false>>>();

export const sameDay = asset({
  key: 'ptypes/same-day',
  partitions: daily,
  deps: {
    today: days,
    alsoToday: withMapping(days, identity()),
    yesterday: withMapping(days, timeWindow({ offset: -1 })),
  },
  materialize: (_ctx, inputs) => {
    // Identity (the default between assets partitioned alike) and a time window: one value.
    assertTrue<Equals<typeof inputs.today, DayTotal>>();
    assertTrue<Equals<typeof inputs.alsoToday, DayTotal>>();
    assertTrue<Equals<typeof inputs.yesterday, DayTotal>>();
    // @ts-expect-error -- one partition, not a record of them
    void inputs.yesterday['2025-01-01'];
    return inputs.today.orders - inputs.yesterday.orders;
  },
});

export const month = asset({
  key: 'ptypes/month',
  partitions: monthlyPartitions({ start: '2025-01' }),
  deps: { days: withMapping(days, manyToOne()), week: withMapping(days, manyToOne({ startOffset: -1 })) },
  materialize: (_ctx, inputs) => {
    // Many to one: a record of the days' values by partition key.
    assertTrue<Equals<typeof inputs.days, Readonly<Record<string, DayTotal>>>>();
    const firstDay: DayTotal | undefined = inputs.days['2025-01-01'];
    // @ts-expect-error -- a record of days by key, not one day's value
    const orders: number = inputs.days.orders;
    void [firstDay, orders];
    return Object.values(inputs.days).reduce((sum, day) => sum + day.orders, 0);
  },
});

export const report = asset({
  key: 'ptypes/report',
  deps: { days, regions: withMapping('ptypes/regions', allPartitions()) },
  materialize: (_ctx, inputs) => {
    // An unpartitioned asset reads every partition of a partitioned upstream: a record.
    assertTrue<Equals<typeof inputs.days, Readonly<Record<string, DayTotal>>>>();
    // A key string stays untyped, but the mapping still makes it a record.
    assertTrue<Equals<typeof inputs.regions, Readonly<Record<string, unknown>>>>();
    return Object.keys(inputs.days).length;
  },
});

export const regions = asset({
  key: 'ptypes/regions',
  partitions: staticPartitions(['eu', 'us']),
  materialize: (ctx) => ctx.partition,
});

// asset() validates these at run time too (and would throw): never called, only type-checked.
export function invalidPartitionSpecs(): void {
  asset({
    key: 'ptypes/bad-mapping',
    partitions: daily,
    // @ts-expect-error -- a mapping is made by identity(), timeWindow(), manyToOne() or allPartitions()
    deps: { days: withMapping(days, { kind: 'shifted' }) },
    materialize: () => 1,
  });
  asset({
    key: 'ptypes/bad-partitions',
    // @ts-expect-error -- partitions come from dailyPartitions(), staticPartitions(), …
    partitions: ['eu', 'us'],
    materialize: () => 1,
  });
}
