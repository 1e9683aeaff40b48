/*
 * The shapes of partition sets, apart from their constructors (`partitions.ts`) so that the key
 * arithmetic in `partitions/` can name them without importing the constructors back.
 */

/** How often a time-partitioned asset gets a new partition. */
export type Cadence = 'hourly' | 'daily' | 'weekly' | 'monthly';

/**
 * How an asset is split into partitions, each materialized on its own (a day of orders, a
 * customer, a region): {@link dailyPartitions} and the other time cadences,
 * {@link staticPartitions} or {@link dynamicPartitions}.
 */
export type PartitionsDefinition = TimePartitions | StaticPartitions | DynamicPartitions;

/** One partition per hour, day, week or month of a time zone. See {@link dailyPartitions}. */
export interface TimePartitions {
  readonly kind: 'time';
  readonly cadence: Cadence;
  /** The first partition (a date; hourly sets also take `YYYY-MM-DDTHH`). */
  readonly start: string;
  /** The first partition *not* in the set, when the set stops; otherwise it grows with time. */
  readonly end: string | undefined;
  /** IANA zone the partitions are cut in, e.g. `'Europe/Paris'`; default UTC. */
  readonly timezone: string;
  /** 0: the set ends with the last complete partition; 1 adds the one in progress; -1 stops one earlier. */
  readonly endOffset: number;
}

/** A fixed list of partition keys. See {@link staticPartitions}. */
export interface StaticPartitions {
  readonly kind: 'static';
  readonly keys: readonly string[];
}

/** Keys added at run time (`weir partitions add <name> <key>`). See {@link dynamicPartitions}. */
export interface DynamicPartitions {
  readonly kind: 'dynamic';
  /** The name of the set of keys; assets naming the same set share its keys. */
  readonly name: string;
}
