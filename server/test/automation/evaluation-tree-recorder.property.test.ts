import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateCondition, type EvaluationFacts } from '../../src/automation/condition-evaluator.js';
import type { EvaluationNode } from '../../src/automation/evaluation-tree.js';
import { recordEvaluationTree } from '../../src/automation/evaluation-tree-recorder.js';
import {
  allUpstreamsUpdated,
  and,
  codeVersionChanged,
  eager,
  not,
  onCron,
  onMissing,
  or,
  type AutomationCondition,
} from '../../src/sdk/automation.js';

const leaf: fc.Arbitrary<AutomationCondition> = fc.constantFrom(
  eager(),
  allUpstreamsUpdated(),
  onMissing(),
  codeVersionChanged(),
  onCron('0 6 * * *'),
);
const { condition } = fc.letrec<{ condition: AutomationCondition }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((parts) => and(...parts)),
    fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((parts) => or(...parts)),
    tie('condition').map(not),
  ),
}));

const TICK = new Date('2026-12-07T06:00:00.000Z');
const facts: fc.Arbitrary<EvaluationFacts> = fc
  .record({
    cron: fc.boolean(),
    pending: fc.subarray(['a', 'b']),
    missingUpstreams: fc.subarray(['a', 'b']),
    upstreamsInProgress: fc.subarray(['a', 'b']),
    selfMissing: fc.boolean(),
    selfInProgress: fc.boolean(),
    changedCode: fc.boolean(),
    initialEvaluation: fc.boolean(),
    newlyMissing: fc.boolean(),
  })
  .map((f) => ({
    assetKey: 'c',
    trigger: f.cron ? { kind: 'cron' as const, expression: '0 6 * * *', tick: TICK } : { kind: 'upstream' as const },
    upstreamKeys: ['a', 'b'],
    pendingEvents: f.pending.map((upstreamKey, i) => ({ id: String(i + 1), upstreamKey, at: TICK })),
    missingUpstreams: f.missingUpstreams,
    upstreamsInProgress: f.upstreamsInProgress,
    selfMissing: f.selfMissing,
    selfInProgress: f.selfInProgress,
    codeVersion: 'v2',
    materializedCodeVersion: f.changedCode ? 'v1' : 'v2',
    initialEvaluation: f.initialEvaluation,
    newlyMissing: f.newlyMissing,
  }));

const conditionSize = (c: AutomationCondition): number =>
  c.kind === 'and' || c.kind === 'or'
    ? 1 + c.conditions.reduce((sum, inner) => sum + conditionSize(inner), 0)
    : c.kind === 'not'
      ? 1 + conditionSize(c.condition)
      : 1;
const nodes = (node: EvaluationNode): EvaluationNode[] => [node, ...node.children.flatMap(nodes)];

// The interim tree must say what the evaluator decided: whatever the condition and the facts,
// its root holds exactly when the condition passed, and every leaf gives the evaluator's reasons.
describe('the evaluation tree recorded for today’s evaluator', () => {
  it('has a node per condition node, its root is the decision, its leaves the evaluator’s reasons', () => {
    fc.assert(
      fc.property(condition, facts, fc.constantFrom('', '2026-12-06'), (c, f, partitionKey) => {
        const tree = recordEvaluationTree(c, f, partitionKey);
        expect(tree.value).toBe(evaluateCondition(c, f).passed);
        expect(nodes(tree)).toHaveLength(conditionSize(c));
        const walk = (cond: AutomationCondition, node: EvaluationNode) => {
          if (cond.kind === 'and' || cond.kind === 'or')
            cond.conditions.forEach((inner, i) => walk(inner, node.children[i]!));
          else if (cond.kind === 'not') walk(cond.condition, node.children[0]!);
          else expect(node.reasons).toEqual(evaluateCondition(cond, f).reasons);
          expect(node.value).toBe(evaluateCondition(cond, f).passed);
          // Unpartitioned: no partitions; a partition: held for it exactly when true.
          if (partitionKey === '') expect(node.truePartitions).toBeUndefined();
          else expect(node.truePartitions).toEqual(node.value ? [partitionKey] : []);
        };
        walk(c, tree);
      }),
      { numRuns: 300 },
    );
  });
});
