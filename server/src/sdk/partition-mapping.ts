/**
 * What a mapped dependency points at: an asset or a source asset (anything with a key), named
 * structurally so this file does not import `asset.ts`, which imports it.
 */
export interface UpstreamAsset {
  readonly key: string;
}

/**
 * Which partitions of an upstream asset a partition of the downstream asset reads. Without one,
 * Weir picks the obvious mapping: the same key between assets partitioned alike, the latest
 * value of an unpartitioned upstream, every partition of a partitioned upstream for an
 * unpartitioned downstream. `reads` says whether the input is one value or a record of them.
 */
export type PartitionMapping = IdentityMapping | TimeWindowMapping | ManyToOneMapping | AllPartitionsMapping;

/** Partition `k` reads upstream partition `k`. See {@link identity}. */
export interface IdentityMapping {
  readonly kind: 'identity';
  readonly reads: 'one';
}

/** Partition `d` reads the one upstream partition covering `d + offset`. See {@link timeWindow}. */
export interface TimeWindowMapping {
  readonly kind: 'time_window';
  readonly offset: number;
  readonly reads: 'one';
}

/** Partition `d` reads every upstream partition within its window (widened by offsets). See {@link manyToOne}. */
export interface ManyToOneMapping {
  readonly kind: 'many_to_one';
  readonly startOffset: number;
  readonly endOffset: number;
  readonly reads: 'many';
}

/** Every materialized upstream partition. See {@link allPartitions}. */
export interface AllPartitionsMapping {
  readonly kind: 'all_partitions';
  readonly reads: 'many';
}

/** An input with an explicit partition mapping, made by {@link withMapping}. */
export interface MappedDependency<
  A extends UpstreamAsset | string = UpstreamAsset | string,
  M extends PartitionMapping = PartitionMapping,
> {
  readonly kind: 'mapped';
  /** The upstream asset (or its key). */
  readonly upstream: A;
  readonly mapping: M;
}

/**
 * An input that reads the upstream's partitions through `mapping`:
 * `deps: { yesterday: withMapping(orders, timeWindow({ offset: -1 })) }`. The input's type
 * follows the mapping: one value, or a record of values by partition key.
 */
export function withMapping<A extends UpstreamAsset | string, M extends PartitionMapping>(
  upstream: A,
  mapping: M,
): MappedDependency<A, M> {
  return Object.freeze({ kind: 'mapped' as const, upstream, mapping });
}

/** Partition `k` reads the upstream's partition `k` (the default between assets partitioned alike). */
export function identity(): IdentityMapping {
  return Object.freeze({ kind: 'identity' as const, reads: 'one' as const });
}

/**
 * Time partitions: partition `d` reads the one upstream partition whose window covers the window
 * of `d + offset` (`offset` counts the downstream's own partitions): with daily assets,
 * `timeWindow({ offset: -1 })` reads yesterday's. The upstream's partitions must contain the
 * downstream's (same time zone, same or coarser cadence: a day reads its month, not the reverse;
 * use {@link manyToOne} for that). The input is one value.
 */
export function timeWindow(options: { offset?: number } = {}): TimeWindowMapping {
  return Object.freeze({ kind: 'time_window' as const, offset: options.offset ?? 0, reads: 'one' as const });
}

/**
 * Time partitions: partition `d` reads every upstream partition whose window overlaps the
 * windows of `d + startOffset` to `d + endOffset` (counted in the downstream's partitions): a
 * monthly asset reads the days of its month with `manyToOne()`, a daily one the last 7 days with
 * `manyToOne({ startOffset: -6 })`. The input is a record by upstream partition key, in order;
 * every one of those partitions must have been materialized.
 */
export function manyToOne(options: { startOffset?: number; endOffset?: number } = {}): ManyToOneMapping {
  return Object.freeze({
    kind: 'many_to_one' as const,
    startOffset: options.startOffset ?? 0,
    endOffset: options.endOffset ?? 0,
    reads: 'many' as const,
  });
}

/**
 * Every partition of the upstream that has been materialized (its latest value each), as a
 * record by partition key in partition order (the default for an unpartitioned downstream).
 */
export function allPartitions(): AllPartitionsMapping {
  return Object.freeze({ kind: 'all_partitions' as const, reads: 'many' as const });
}

/** True for what {@link withMapping} returns. */
export function isMappedDependency(value: unknown): value is MappedDependency {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'mapped';
}

/** What is wrong with a partition mapping, or `undefined` (`asset()` names the asset and input). */
export function mappingProblem(mapping: unknown): string | undefined {
  const m = mapping as { kind?: unknown; offset?: unknown; startOffset?: unknown; endOffset?: unknown } | null;
  switch (m?.kind) {
    case 'identity':
    case 'all_partitions':
      return undefined;
    case 'time_window':
      return Number.isInteger(m.offset) ? undefined : `timeWindow offset must be an integer (got ${String(m.offset)})`;
    case 'many_to_one':
      if (!Number.isInteger(m.startOffset) || !Number.isInteger(m.endOffset))
        return 'manyToOne offsets must be integers';
      return (m.startOffset as number) > (m.endOffset as number)
        ? `manyToOne startOffset (${String(m.startOffset)}) must not be after endOffset (${String(m.endOffset)})`
        : undefined;
    default:
      return 'expected a mapping such as identity(), timeWindow({ offset: -1 }), manyToOne() or allPartitions()';
  }
}
