import {
  DECISION_COLUMNS,
  DECISION_TYPES,
  toAutomationDecision,
  type AutomationDecisionView,
  type DecisionEventRow,
} from '../read-models/decision-rows.js';
import type { EvaluationRow } from '../read-models/evaluation-rows.js';
import type { GraphQLContext } from './graphql-context.js';
import { pageSize } from './pagination.js';
import type { AssetParent } from './resolvers/asset-resolvers.js';

/**
 * The evaluation tree of an automation decision (issue 14), kept out of `schema.graphql.ts`:
 * the value of every node of the asset's condition when the decision was made, as Dagster's
 * evaluation view shows it.
 */
export const automationTreeTypeDefs = /* GraphQL */ `
  extend type Asset {
    "One of the asset's automation decisions, by its id (as decisions lists them); null when it has none by that id."
    decision(id: ID!): AutomationDecision
  }

  extend type AutomationDecision {
    "How many nodes its evaluation tree has; null for decisions recorded before evaluation trees."
    evaluationSize: Int
    """
    The value of every node of the condition tree at this evaluation, flattened depth-first (a
    parent before its children, children in their order; rebuild the tree from parentId). Null
    for decisions recorded before evaluation trees: their reasons say why.
    """
    evaluation: [EvaluationNode!]
  }

  "One node of a condition tree, as one evaluation found it: an operand (eager, onCron...) or an operator (and, or, not)."
  type EvaluationNode {
    "The node's path in the tree: '0' is the root, '0.1' its second child. Unique within the decision."
    id: ID!
    "The parent's id; null for the root."
    parentId: ID
    "0 for the root."
    depth: Int!
    "The SDK function that made the node, e.g. 'and', 'eager', 'onCron'."
    kind: String!
    "How people read it, e.g. 'any of', 'on cron (0 6 * * *, UTC)'."
    label: String!
    "Held for the asset (unpartitioned) or for at least one partition evaluated."
    value: Boolean!
    "How many partitions it held for; null for an unpartitioned asset."
    truePartitionCount: Int
    "How many partitions were evaluated at this node; null for an unpartitioned asset."
    candidatePartitionCount: Int
    "The partitions it held for, the first 'first' of them; null for an unpartitioned asset."
    truePartitions(first: Int = 100): [String!]
    "The partitions evaluated at this node, the first 'first' of them; null for an unpartitioned asset."
    candidatePartitions(first: Int = 100): [String!]
    "Why, in words; a reason about one partition starts with '[partition] '."
    reasons: [String!]!
  }
`;

// The argument is checked even where there is no list, so a bad page fails the same everywhere.
const firstOf = (list: readonly string[] | null, first: unknown) => {
  const size = pageSize(first ?? 100);
  return list?.slice(0, size) ?? null;
};

// Decision ids are event ids (bigint): anything else names no decision, and needs no query.
const DECISION_ID = /^[1-9][0-9]{0,18}$/;

/** `Asset.decision`: a list shows decisions without their trees; a reader opens one tree at a time. */
export const decisionAssetResolvers = {
  decision: async (asset: AssetParent, args: { id: string }, ctx: GraphQLContext) => {
    if (!DECISION_ID.test(args.id)) return null;
    const rows: DecisionEventRow[] = await ctx.services.engine.dataSource.query(
      `SELECT ${DECISION_COLUMNS} FROM event_log WHERE id = $1 AND asset_key = $2 AND type IN ${DECISION_TYPES}`,
      [args.id, asset.key],
    );
    return rows[0] ? toAutomationDecision(rows[0]) : null;
  },
};

export const automationDecisionResolvers = {
  evaluationSize: (decision: AutomationDecisionView) => decision.evaluation?.length ?? null,
};

/** Resolvers of the rows `evaluationRows` made (the decision resolver builds them from `data.tree`). */
export const evaluationNodeResolvers = {
  truePartitionCount: (row: EvaluationRow) => row.truePartitions?.length ?? null,
  candidatePartitionCount: (row: EvaluationRow) => row.candidatePartitions?.length ?? null,
  truePartitions: (row: EvaluationRow, args: { first?: number }) => firstOf(row.truePartitions, args.first),
  candidatePartitions: (row: EvaluationRow, args: { first?: number }) => firstOf(row.candidatePartitions, args.first),
};
