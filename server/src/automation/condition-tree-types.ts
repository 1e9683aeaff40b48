import type { ConditionData } from '../sdk/automation-conditions.js';
import type { PartitionsDefinition } from '../sdk/partitions.js';
import type { EvaluationFacts } from './evaluation-facts.js';

/** What one node remembers for one partition between evaluations (a row of `automation_condition_state`). */
export interface NodeState {
  readonly value: Record<string, unknown>;
  /** When a latch became true. */
  readonly since?: string;
  readonly reason?: string;
}

/** State by node id, then by partition key (`''` for an unpartitioned asset). */
export type ConditionState = Map<string, Map<string, NodeState>>;

/** How often the asset (partition) was requested and materialized so far: the cursors of "newly requested / updated". */
export interface HandledCounts {
  readonly steps: number;
  readonly materializations: number;
}

/** Everything the evaluation of one condition tree reads. Pure: nothing here touches the database. */
export interface TreeInput {
  /** The partitions evaluated; `['']` for an unpartitioned asset. */
  readonly candidates: readonly string[];
  readonly partitions: PartitionsDefinition | undefined;
  readonly facts: ReadonlyMap<string, EvaluationFacts>;
  /** The engine clock at this evaluation. */
  readonly now: Date;
  /** No previous evaluation of this condition (or it changed, or the partitioning kind did). */
  readonly initial: boolean;
  readonly previous: ConditionState;
  /** Current counts per partition (compared with the previous ones, stored under {@link COUNTS_NODE}). */
  readonly counts: ReadonlyMap<string, HandledCounts>;
  /** The latest tick seen per cron schedule (`expression|timezone`), this evaluation's included. */
  readonly cronTicks: Readonly<Record<string, string>>;
  /** Inbox events with a greater id arrived since the previous evaluation. */
  readonly lastInboxId: number;
}

/** A node's outcome over the candidates. */
export interface NodeOutcome {
  readonly truePartitions: ReadonlySet<string>;
  /** Why, per partition. */
  readonly reasons: ReadonlyMap<string, string>;
}

/** Collects the state to store after the evaluation. */
export type StateWriter = (nodeId: string, partition: string, state: NodeState) => void;

/** The node id of the handled counts (not a condition node). */
export const COUNTS_NODE = '#handled';

export type Node = ConditionData;
