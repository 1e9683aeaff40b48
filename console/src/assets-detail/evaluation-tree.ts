/**
 * Pure helpers of the evaluation tree drawn under an automation decision (EvaluationTree.vue).
 *
 * Exports `buildEvaluationTree(rows)`: the API's flat, depth-first rows back into a tree;
 * `partitionSummary(node)`: "3 of 24 partitions" (null when unpartitioned); and
 * `initiallyExpanded(decisions)`: which decision shows its tree before anyone clicks;
 * `REASONS_SHOWN`: reasons a node shows before the rest are asked for.
 */
import type { AutomationDecision, EvaluationRow } from './asset-detail-queries';

/** Reasons shown per node before "N more reasons" (a partitioned node may give one per partition). */
export const REASONS_SHOWN = 5;

/** One node of a condition tree with its children, as drawn. */
export interface EvaluationTreeNode extends EvaluationRow {
  children: EvaluationTreeNode[];
}

/**
 * The roots of the tree the rows describe (one, for a well-formed decision), children in row
 * order. A row whose parent is missing is kept as a root rather than dropped: what the engine
 * recorded is shown, even when odd.
 */
export function buildEvaluationTree(rows: readonly EvaluationRow[]): EvaluationTreeNode[] {
  const nodes = new Map<string, EvaluationTreeNode>();
  for (const row of rows) nodes.set(row.id, { ...row, children: [] });
  const roots: EvaluationTreeNode[] = [];
  for (const row of rows) {
    const node = nodes.get(row.id)!;
    const parent = row.parentId === null ? undefined : nodes.get(row.parentId);
    if (parent && parent !== node) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** "3 of 24 partitions" / "1 of 1 partition"; null for an unpartitioned asset. */
export function partitionSummary(node: Pick<EvaluationRow, 'truePartitionCount' | 'candidatePartitionCount'>) {
  if (node.truePartitionCount === null || node.candidatePartitionCount === null) return null;
  const noun = node.candidatePartitionCount === 1 ? 'partition' : 'partitions';
  return `${node.truePartitionCount} of ${node.candidatePartitionCount} ${noun}`;
}

/** The newest decision with a tree shows it open; the others start collapsed. */
export function initiallyExpanded(decisions: readonly AutomationDecision[]): string | undefined {
  return decisions.find((decision) => (decision.evaluationSize ?? 0) > 0)?.id;
}
