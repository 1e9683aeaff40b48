import type { EvaluationNode } from '../../automation/evaluation-tree.js';

/**
 * One node of a decision's evaluation tree as the API returns it: GraphQL cannot return a
 * recursive shape of unbounded depth in one query, so the tree is flattened, depth-first (a
 * parent before its children, children in their order), each row naming its parent.
 */
export interface EvaluationRow {
  /** The node's path: `'0'` the root, `'0.1'` its second child. Unique within the decision. */
  readonly id: string;
  readonly parentId: string | null;
  readonly depth: number;
  readonly kind: string;
  readonly label: string;
  readonly value: boolean;
  readonly truePartitions: readonly string[] | null;
  readonly candidatePartitions: readonly string[] | null;
  readonly reasons: readonly string[];
}

/**
 * The rows of a stored tree (`data.tree` of a decision event), or null when there is none:
 * decisions recorded before evaluation trees, or a `data.tree` that is not one (the event log is
 * jsonb written by other versions: an odd value is shown as no tree, never as an error).
 */
export function evaluationRows(stored: unknown): EvaluationRow[] | null {
  if (!isEvaluationNode(stored)) return null;
  const rows: EvaluationRow[] = [];
  const visit = (node: EvaluationNode, id: string, parentId: string | null, depth: number) => {
    rows.push({
      id,
      parentId,
      depth,
      kind: node.kind,
      label: node.label,
      value: node.value,
      truePartitions: node.truePartitions ?? null,
      candidatePartitions: node.candidatePartitions ?? null,
      reasons: node.reasons,
    });
    node.children.forEach((child, index) => visit(child, `${id}.${index}`, id, depth + 1));
  };
  visit(stored, '0', null, 0);
  return rows;
}

const isStringList = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');

function isEvaluationNode(value: unknown): value is EvaluationNode {
  if (typeof value !== 'object' || value === null) return false;
  const node = value as Record<string, unknown>;
  return (
    typeof node.kind === 'string' &&
    typeof node.label === 'string' &&
    typeof node.value === 'boolean' &&
    isStringList(node.reasons) &&
    (node.truePartitions === undefined || isStringList(node.truePartitions)) &&
    (node.candidatePartitions === undefined || isStringList(node.candidatePartitions)) &&
    Array.isArray(node.children) &&
    node.children.every(isEvaluationNode)
  );
}
