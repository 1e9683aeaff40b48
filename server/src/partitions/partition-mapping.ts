import type { PartitionMapping } from '../sdk/partition-mapping.js';
import type { Cadence, PartitionsDefinition, TimePartitions } from '../sdk/partitions.js';
import { currentPartitionKeys, partitionKeyProblem, timeKeySpace, type PartitionContext } from './partition-keys.js';

/** How a downstream asset's partitions read one of its inputs, once both ends are known. */
export type ResolvedMapping =
  /** Neither asset is partitioned. */
  | { readonly kind: 'unpartitioned' }
  /** A partitioned asset reading an unpartitioned one: its latest value. */
  | { readonly kind: 'latest' }
  | { readonly kind: 'identity' }
  | { readonly kind: 'time_window'; readonly offset: number }
  | { readonly kind: 'many_to_one'; readonly startOffset: number; readonly endOffset: number }
  /** Every materialized partition of the upstream. */
  | { readonly kind: 'all_partitions' };

/** Whether the input is a record of values by partition key rather than one value. */
export function readsMany(mapping: ResolvedMapping): boolean {
  return mapping.kind === 'many_to_one' || mapping.kind === 'all_partitions';
}

// Which cadences' partitions each cadence's partitions contain (in one time zone).
const CONTAINS: Record<Cadence, readonly Cadence[]> = {
  hourly: ['hourly'],
  daily: ['daily', 'hourly'],
  weekly: ['weekly', 'daily', 'hourly'],
  monthly: ['monthly', 'daily', 'hourly'],
};

/**
 * The mapping an input uses: the one declared with `withMapping`, or the default for the two
 * assets' partitions. Returns a problem (a sentence, without the asset names) when there is no
 * sensible default or the declared one does not fit.
 */
export function resolveMapping(
  downstream: PartitionsDefinition | undefined,
  upstream: PartitionsDefinition | undefined,
  declared: PartitionMapping | undefined,
): ResolvedMapping | { readonly problem: string } {
  if (!upstream) {
    if (declared) return { problem: 'the upstream is not partitioned, so the input needs no partition mapping' };
    return { kind: downstream ? 'latest' : 'unpartitioned' };
  }
  if (!downstream) {
    if (!declared || declared.kind === 'all_partitions') return { kind: 'all_partitions' };
    return {
      problem: `the asset is not partitioned: it reads every partition of its upstream (the default, or allPartitions()), not ${declared.kind.replace('_', ' ')}`,
    };
  }
  if (declared) return checkDeclared(downstream, upstream, declared);
  if (downstream.kind === 'time' && upstream.kind === 'time') {
    if (downstream.timezone !== upstream.timezone) {
      return {
        problem: `the partitions are cut in different time zones (${downstream.timezone}, upstream ${upstream.timezone}): declare how with withMapping(upstream, manyToOne())`,
      };
    }
    if (downstream.cadence === upstream.cadence) return { kind: 'identity' };
    if (CONTAINS[upstream.cadence].includes(downstream.cadence)) return { kind: 'time_window', offset: 0 };
    return {
      problem: `a ${downstream.cadence} partition spans several ${upstream.cadence} partitions of the upstream: read them all with withMapping(upstream, manyToOne())`,
    };
  }
  if (downstream.kind === 'static' && upstream.kind === 'static') {
    const missing = downstream.keys.filter((key) => !upstream.keys.includes(key));
    if (missing.length === 0) return { kind: 'identity' };
    return {
      problem: `the upstream has no partition ${missing.map((k) => `'${k}'`).join(', ')}: declare a mapping such as allPartitions()`,
    };
  }
  if (downstream.kind === 'dynamic' && upstream.kind === 'dynamic' && downstream.name === upstream.name)
    return { kind: 'identity' };
  return {
    problem: `the asset has ${describeKind(downstream)} and the upstream ${describeKind(upstream)}: declare how a partition reads it, e.g. withMapping(upstream, allPartitions()) or identity()`,
  };
}

function checkDeclared(
  downstream: PartitionsDefinition,
  upstream: PartitionsDefinition,
  declared: PartitionMapping,
): ResolvedMapping | { readonly problem: string } {
  switch (declared.kind) {
    case 'all_partitions':
      return { kind: 'all_partitions' };
    case 'identity':
      if (downstream.kind === 'time' || upstream.kind === 'time') {
        if (downstream.kind !== 'time' || upstream.kind !== 'time' || downstream.cadence !== upstream.cadence)
          return {
            problem: `identity() needs partitions with the same keys (${describeKind(downstream)}, upstream ${describeKind(upstream)})`,
          };
        if (downstream.timezone !== upstream.timezone)
          return {
            problem: `identity() needs partitions cut in the same time zone (${downstream.timezone}, upstream ${upstream.timezone})`,
          };
      }
      return { kind: 'identity' };
    case 'time_window':
    case 'many_to_one': {
      const name = declared.kind === 'time_window' ? 'timeWindow()' : 'manyToOne()';
      if (downstream.kind !== 'time' || upstream.kind !== 'time')
        return {
          problem: `${name} maps time partitions (the asset has ${describeKind(downstream)}, the upstream ${describeKind(upstream)})`,
        };
      if (declared.kind === 'many_to_one')
        return { kind: 'many_to_one', startOffset: declared.startOffset, endOffset: declared.endOffset };
      if (downstream.timezone !== upstream.timezone || !CONTAINS[upstream.cadence].includes(downstream.cadence)) {
        return {
          problem: `timeWindow() reads one upstream partition, but a ${downstream.cadence} partition (${downstream.timezone}) is not within one ${upstream.cadence} partition (${upstream.timezone}): use manyToOne()`,
        };
      }
      return { kind: 'time_window', offset: declared.offset };
    }
  }
}

function describeKind(definition: PartitionsDefinition): string {
  if (definition.kind === 'time') return `${definition.cadence} partitions`;
  if (definition.kind === 'static') return 'static partitions';
  return `dynamic partitions '${definition.name}'`;
}

/**
 * The upstream partitions partition `downstreamKey` reads, in order (`['']` for an unpartitioned
 * upstream), or `undefined` for "every materialized partition" (`all_partitions`). Time keys
 * are clipped to the upstream's first (and `end`) partition, except for a one-partition mapping,
 * whose key is returned as is so that a missing partition can be named.
 */
export function upstreamPartitionKeys(
  mapping: ResolvedMapping,
  downstream: PartitionsDefinition | undefined,
  upstream: PartitionsDefinition | undefined,
  downstreamKey: string,
): string[] | undefined {
  switch (mapping.kind) {
    case 'unpartitioned':
    case 'latest':
      return [''];
    case 'all_partitions':
      return undefined;
    case 'identity':
      return [downstreamKey];
    case 'time_window':
    case 'many_to_one': {
      const down = timeKeySpace(downstream as TimePartitions);
      const up = timeKeySpace(upstream as TimePartitions);
      const ordinal = down.parse(downstreamKey);
      if (ordinal === undefined) return [];
      if (mapping.kind === 'time_window') {
        const start = down.startOf(down.shift(ordinal, mapping.offset));
        return [up.format(up.ordinalAt(start))];
      }
      const start = down.startOf(down.shift(ordinal, mapping.startOffset));
      const end = down.startOf(down.shift(ordinal, mapping.endOffset) + 1);
      return up
        .overlapping(start, end)
        .filter((o) => o >= up.first && (up.end === undefined || o < up.end))
        .map((o) => up.format(o));
    }
  }
}

/**
 * The downstream partitions (in its set at `ctx.now`) that read upstream partition `upstreamKey`:
 * what a materialization of it makes stale. An unpartitioned upstream affects the downstream's
 * current partitions (see `currentPartitionKeys`); `['']` when the downstream is unpartitioned.
 */
export function downstreamPartitionKeys(
  mapping: ResolvedMapping,
  downstream: PartitionsDefinition | undefined,
  upstream: PartitionsDefinition | undefined,
  upstreamKey: string,
  ctx: PartitionContext,
): string[] {
  if (!downstream) return [''];
  const inSet = (keys: string[]) => keys.filter((key) => partitionKeyProblem(downstream, key, ctx) === undefined);
  switch (mapping.kind) {
    case 'unpartitioned':
      return [''];
    case 'latest':
    case 'all_partitions':
      return currentPartitionKeys(downstream, ctx);
    case 'identity':
      return inSet([upstreamKey]);
    case 'time_window':
    case 'many_to_one': {
      const down = timeKeySpace(downstream as TimePartitions);
      const up = timeKeySpace(upstream as TimePartitions);
      const ordinal = up.parse(upstreamKey);
      if (ordinal === undefined) return [];
      const window = up.windowOf(ordinal);
      const [from, to] =
        mapping.kind === 'time_window' ? [mapping.offset, mapping.offset] : [mapping.startOffset, mapping.endOffset];
      const candidates = new Set<number>();
      for (const covering of down.overlapping(window.start.getTime(), window.end.getTime())) {
        for (let d = down.shift(covering, -to); d <= down.shift(covering, -from); d = down.shift(d, 1))
          candidates.add(d);
      }
      const keys = [...candidates]
        .sort((a, b) => a - b)
        .map((d) => down.format(d))
        .filter((key) => upstreamPartitionKeys(mapping, downstream, upstream, key)?.includes(upstreamKey));
      return inSet(keys);
    }
  }
}
