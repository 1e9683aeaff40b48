/**
 * The record of one evaluation of an automation condition: the value of every node of the
 * condition tree, with the partitions it held for and why. Stored in the decision event's
 * `data.tree`, returned by GraphQL flattened (`AutomationDecision.evaluation`) and drawn on the
 * asset page, as Dagster's evaluation view does.
 */
export interface EvaluationNode {
  /** The operand or operator, e.g. `'and'`, `'since'`, `'anyDepsUpdated'`, `'cronTickPassed'`. */
  readonly kind: string;
  /** How people read it, e.g. `'any dep updated'`, `'cron tick passed (0 6 * * *, UTC)'`. */
  readonly label: string;
  /** Held for the asset (unpartitioned) or for at least one partition evaluated. */
  readonly value: boolean;
  /** Partitions it held for; absent for an unpartitioned asset. */
  readonly truePartitions?: readonly string[];
  /** Partitions evaluated at this node; absent for an unpartitioned asset. */
  readonly candidatePartitions?: readonly string[];
  /**
   * Why, in words: "dep bronze/orders updated at 10:03", "waiting for dep silver/fx since the
   * 06:00 tick". Prefixed with `[partition] ` where it is about one partition.
   */
  readonly reasons: readonly string[];
  readonly children: readonly EvaluationNode[];
}
