import type { AutomationCondition } from '../sdk/automation.js';
import { evaluateCondition, type EvaluationFacts } from './condition-evaluator.js';
import type { EvaluationNode } from './evaluation-tree.js';

/**
 * Interim (issue 14): the evaluation tree of today's evaluator, recorded beside its flat result
 * until the durable tree evaluator records its own. Leaves are evaluated by
 * {@link evaluateCondition} itself, and `and`/`or`/`not` combine them exactly as it does, so the
 * root's value is the value the decision acted on. Pure, like the evaluator.
 *
 * `partitionKey` is the partition the facts are about ('' for an unpartitioned asset): today
 * every partition is evaluated, and decided, on its own.
 */
export function recordEvaluationTree(
  condition: AutomationCondition,
  facts: EvaluationFacts,
  partitionKey: string,
): EvaluationNode {
  const node = (value: boolean, reasons: readonly string[], children: readonly EvaluationNode[]): EvaluationNode => ({
    kind: kindOf(condition),
    label: labelOf(condition),
    value,
    // One partition per evaluation: every reason is about it, so none carries its prefix.
    ...(partitionKey === ''
      ? {}
      : { truePartitions: value ? [partitionKey] : [], candidatePartitions: [partitionKey] }),
    reasons,
    children,
  });
  switch (condition.kind) {
    case 'and':
    case 'or': {
      const children = condition.conditions.map((inner) => recordEvaluationTree(inner, facts, partitionKey));
      const held = children.filter((child) => child.value).length;
      const value = condition.kind === 'and' ? held === children.length : held > 0;
      return node(value, [`${held} of ${children.length} true`], children);
    }
    case 'not': {
      const child = recordEvaluationTree(condition.condition, facts, partitionKey);
      return node(!child.value, [child.value ? 'its condition is true' : 'its condition is false'], [child]);
    }
    default: {
      const result = evaluateCondition(condition, facts);
      return node(result.passed, result.reasons, []);
    }
  }
}

/** The SDK function that made the node (what users wrote, and what the console shows as its kind). */
function kindOf(condition: AutomationCondition): string {
  switch (condition.kind) {
    case 'cron':
      return 'onCron';
    case 'missing':
      return 'onMissing';
    case 'code_version_changed':
      return 'codeVersionChanged';
    case 'all_upstreams_updated':
      return 'allUpstreamsUpdated';
    default:
      return condition.kind;
  }
}

function labelOf(condition: AutomationCondition): string {
  switch (condition.kind) {
    case 'and':
      return 'all of';
    case 'or':
      return 'any of';
    case 'not':
      return 'not';
    case 'cron':
      return `on cron (${condition.expression}, ${condition.timezone})`;
    case 'eager':
      return condition.runPerEvent ? 'eager (a run per event)' : 'eager';
    case 'all_upstreams_updated':
      return condition.runPerEvent ? 'all upstreams updated (a run per event)' : 'all upstreams updated';
    case 'missing':
      return 'on missing';
    case 'code_version_changed':
      return 'code version changed';
  }
}
