/**
 * The evaluation tree of an automation decision: the value of every node of the asset's
 * condition when the decision was made, as Dagster's evaluation view shows it.
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
