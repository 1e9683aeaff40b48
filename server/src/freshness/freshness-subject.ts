import { timeKeySpace } from '../partitions/partition-keys.js';
import type { FreshnessPolicy } from '../sdk/freshness.js';
import type { PartitionsDefinition, TimePartitions } from '../sdk/partitions.js';
import { evaluateFreshness, evaluatePartitionFreshness, type FreshnessEvaluation } from './freshness-policy.js';

/** The partition key of unpartitioned assets: freshness is kept per (asset, partition). */
export const UNPARTITIONED = '';

/**
 * What an asset's freshness policy is held against at a given time:
 *
 * - `asset`: its latest materialization (unpartitioned assets; static and dynamic partitions,
 *   whose keys carry no time, count their latest materialization of any partition);
 * - `partition`: for time partitions, the latest partition whose window has ended, due from that
 *   end (see {@link evaluatePartitionFreshness}); when the next window ends, that one is due;
 * - `none-due`: a time-partitioned asset whose first window has not ended, so nothing is due.
 */
export type FreshnessSubject =
  | { readonly kind: 'asset'; readonly partitionKey: typeof UNPARTITIONED }
  | {
      readonly kind: 'partition';
      readonly partitionKey: string;
      readonly windowEnd: Date;
      /** When the next partition's window ends (and it becomes the one due); null if the set has ended. */
      readonly nextSwitchAt: Date | null;
    }
  | { readonly kind: 'none-due'; readonly partitionKey: typeof UNPARTITIONED; readonly nextSwitchAt: Date | null };

/** The subject of an asset's freshness at `now`. */
export function freshnessSubject(partitions: PartitionsDefinition | undefined, now: Date): FreshnessSubject {
  if (partitions?.kind !== 'time') return { kind: 'asset', partitionKey: UNPARTITIONED };
  const space = timeKeySpace(partitions);
  // The latest window that has ended, whatever the set's endOffset: a partition still in
  // progress cannot be late.
  let due = space.shift(space.ordinalAt(now.getTime()), -1);
  if (space.end !== undefined && due >= space.end) due = space.shift(space.end, -1);
  const next = space.shift(due, 1);
  const nextSwitchAt = space.end !== undefined && next >= space.end ? null : space.windowOf(next).end;
  if (due < space.first) return { kind: 'none-due', partitionKey: UNPARTITIONED, nextSwitchAt };
  return { kind: 'partition', partitionKey: space.format(due), windowEnd: space.windowOf(due).end, nextSwitchAt };
}

/**
 * The subject for one given time partition (an older partition materialized late, say), or
 * undefined when `partitionKey` is not a key of the set.
 */
export function partitionSubject(partitions: TimePartitions, partitionKey: string): FreshnessSubject | undefined {
  const space = timeKeySpace(partitions);
  const ordinal = space.parse(partitionKey);
  if (ordinal === undefined || ordinal < space.first) return undefined;
  return { kind: 'partition', partitionKey, windowEnd: space.windowOf(ordinal).end, nextSwitchAt: null };
}

/**
 * Evaluates `policy` for `subject` at `now`, given when the subject was last materialized (null:
 * never). `nextChangeAt` includes the moment another partition becomes due.
 */
export function evaluateSubject(
  policy: FreshnessPolicy,
  subject: FreshnessSubject,
  materializedAt: Date | null,
  now: Date,
): FreshnessEvaluation {
  if (subject.kind === 'asset') return evaluateFreshness(policy, materializedAt, now);
  if (subject.kind === 'none-due') {
    return {
      status: 'fresh',
      since: null,
      missedDeadline: null,
      nextDeadline: null,
      lagMs: null,
      nextChangeAt: subject.nextSwitchAt,
    };
  }
  const evaluation = evaluatePartitionFreshness(policy, subject.windowEnd, materializedAt, now);
  return { ...evaluation, nextChangeAt: earliest(evaluation.nextChangeAt, subject.nextSwitchAt) };
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a === null) return b;
  if (b === null) return a;
  return a.getTime() <= b.getTime() ? a : b;
}
