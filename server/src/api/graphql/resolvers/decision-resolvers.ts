import {
  DECISION_COLUMNS,
  DECISION_TYPES,
  toAutomationDecision,
  type AutomationDecisionView,
  type DecisionEventRow,
} from '../../read-models/decision-rows.js';
import type { EvaluationRow } from '../../read-models/evaluation-rows.js';
import type { GraphQLContext } from '../graphql-context.js';
import { pageSize } from '../pagination.js';
import type { AssetParent } from './asset-resolvers.js';

/** Resolvers of a decision's evaluation tree (types in schema/automation-tree.graphql.ts). */
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
