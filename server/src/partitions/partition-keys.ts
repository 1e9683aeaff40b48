import type { PartitionsDefinition, TimePartitions } from '../sdk/partitions.js';
import { KEY_SHAPES, TimeKeySpace, type TimeWindow } from './time-partitions.js';

/** What listing partitions depends on besides the definition: the time, and dynamic keys. */
export interface PartitionContext {
  readonly now: Date;
  /** The keys added so far to a dynamic set, in the order they were added. */
  dynamicKeys(set: string): readonly string[];
}

/** Thrown for partition keys or ranges that do not belong to an asset; the message names them. */
export class PartitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PartitionError';
  }
}

const spaces = new WeakMap<TimePartitions, TimeKeySpace>();

/** The key space of a time-partitions definition (built once per definition object). */
export function timeKeySpace(definition: TimePartitions): TimeKeySpace {
  let space = spaces.get(definition);
  if (!space) {
    space = new TimeKeySpace(definition);
    spaces.set(definition, space);
  }
  return space;
}

/** Every partition key of the set at `ctx.now`, in partition order. */
export function partitionKeys(definition: PartitionsDefinition, ctx: PartitionContext): string[] {
  if (definition.kind === 'static') return [...definition.keys];
  if (definition.kind === 'dynamic') return [...ctx.dynamicKeys(definition.name)];
  const space = timeKeySpace(definition);
  const last = space.lastAt(ctx.now);
  return last === undefined ? [] : space.between(space.first, last).map((o) => space.format(o));
}

/**
 * The partitions that a request without partitions means: the last partition of a time set
 * (the latest complete one, per its `endOffset`), every key of a static or dynamic one.
 */
export function currentPartitionKeys(definition: PartitionsDefinition, ctx: PartitionContext): string[] {
  if (definition.kind !== 'time') return partitionKeys(definition, ctx);
  const space = timeKeySpace(definition);
  const last = space.lastAt(ctx.now);
  return last === undefined ? [] : [space.format(last)];
}

/** The last complete time partition at `at` (as cron automation materializes it), if any. */
export function lastCompletePartition(definition: TimePartitions, at: Date): string | undefined {
  const space = timeKeySpace(definition);
  const last = space.lastAt(at);
  return last === undefined ? undefined : space.format(last);
}

/** The time partition whose window contains `instant`, whether or not the set has it yet. */
export function partitionKeyAt(definition: TimePartitions, instant: Date): string {
  const space = timeKeySpace(definition);
  return space.format(space.ordinalAt(instant.getTime()));
}

/** The window of a time partition. */
export function partitionWindow(definition: TimePartitions, key: string): TimeWindow {
  const space = timeKeySpace(definition);
  const ordinal = space.parse(key);
  if (ordinal === undefined) throw new PartitionError(keyShapeProblem(definition, key));
  return space.windowOf(ordinal);
}

/** What is wrong with `key` as a partition of this set at `ctx.now`, or `undefined`. */
export function partitionKeyProblem(
  definition: PartitionsDefinition,
  key: string,
  ctx: PartitionContext,
): string | undefined {
  if (definition.kind === 'static') {
    return definition.keys.includes(key)
      ? undefined
      : `'${key}' is not one of the partitions ${definition.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  if (definition.kind === 'dynamic') {
    return ctx.dynamicKeys(definition.name).includes(key)
      ? undefined
      : `'${key}' has not been added to the dynamic partitions '${definition.name}' (weir partitions add ${definition.name} ${key})`;
  }
  const space = timeKeySpace(definition);
  const ordinal = space.parse(key);
  if (ordinal === undefined) return keyShapeProblem(definition, key);
  if (!space.exists(ordinal)) return `'${key}' does not exist in ${definition.timezone} (the clocks skip that hour)`;
  if (ordinal < space.first) return `'${key}' is before the first partition '${space.format(space.first)}'`;
  const last = space.lastAt(ctx.now);
  if (last === undefined || ordinal > last) {
    return `'${key}' is not a partition yet: ${last === undefined ? 'no partition is complete yet' : `the last one is '${space.format(last)}'`}`;
  }
  return undefined;
}

/**
 * The keys from `from` to `to` (both included) in partition order. Time keys need not be in
 * the set: the range is clipped to it, but it must overlap it.
 * @throws PartitionError naming a malformed or unknown bound, or a range that selects nothing.
 */
export function partitionKeysBetween(
  definition: PartitionsDefinition,
  from: string,
  to: string,
  ctx: PartitionContext,
): string[] {
  if (definition.kind === 'time') {
    const space = timeKeySpace(definition);
    const a = space.parse(from);
    const b = space.parse(to);
    if (a === undefined) throw new PartitionError(`--from ${keyShapeProblem(definition, from)}`);
    if (b === undefined) throw new PartitionError(`--to ${keyShapeProblem(definition, to)}`);
    if (a > b) throw new PartitionError(`the range ${from} to ${to} is empty: '${from}' comes after '${to}'`);
    const last = space.lastAt(ctx.now);
    const keys =
      last === undefined ? [] : space.between(Math.max(a, space.first), Math.min(b, last)).map((o) => space.format(o));
    if (keys.length === 0) {
      throw new PartitionError(
        `no partition between ${from} and ${to}: the partitions run from '${space.format(space.first)}' to ${last === undefined ? '(none complete yet)' : `'${space.format(last)}'`}`,
      );
    }
    return keys;
  }
  const all = partitionKeys(definition, ctx);
  const start = all.indexOf(from);
  const end = all.indexOf(to);
  if (start < 0) throw new PartitionError(`--from ${partitionKeyProblem(definition, from, ctx)}`);
  if (end < 0) throw new PartitionError(`--to ${partitionKeyProblem(definition, to, ctx)}`);
  if (start > end) throw new PartitionError(`the range ${from} to ${to} is empty: '${from}' comes after '${to}'`);
  return all.slice(start, end + 1);
}

/**
 * Sorts keys of a set in partition order (time keys chronologically, static keys in their
 * listed order, dynamic ones in the order they were added); unknown keys go last, by name.
 */
export function sortPartitionKeys(
  definition: PartitionsDefinition,
  keys: readonly string[],
  ctx: Pick<PartitionContext, 'dynamicKeys'>,
): string[] {
  // Time keys have a fixed width: text order is time order.
  if (definition.kind === 'time') return [...keys].sort();
  const order = definition.kind === 'static' ? definition.keys : ctx.dynamicKeys(definition.name);
  const rank = new Map(order.map((key, i) => [key, i]));
  return [...keys].sort((a, b) => (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || (a < b ? -1 : 1));
}

/**
 * Which definitions have the same keys: `daily Europe/Paris` (whatever the start or end),
 * a static list, a dynamic set. Requests with partitions need one key space.
 */
export function keySpaceOf(definition: PartitionsDefinition): string {
  if (definition.kind === 'time') return `${definition.cadence} partitions (${definition.timezone})`;
  if (definition.kind === 'static') return `static partitions [${definition.keys.join(', ')}]`;
  return `dynamic partitions '${definition.name}'`;
}

/** The definition in a few words, e.g. `daily from 2025-01-01 (Europe/Paris)`. */
export function describePartitions(definition: PartitionsDefinition): string {
  if (definition.kind === 'time') {
    const end = definition.end ? ` to ${definition.end} (excluded)` : '';
    return `${definition.cadence} from ${definition.start}${end} (${definition.timezone})`;
  }
  if (definition.kind === 'static') return `static [${definition.keys.join(', ')}]`;
  return `dynamic '${definition.name}'`;
}

function keyShapeProblem(definition: TimePartitions, key: string): string {
  return `'${key}' is not a ${definition.cadence} partition key: expected ${KEY_SHAPES[definition.cadence]}`;
}
