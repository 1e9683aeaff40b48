import { createHash } from 'node:crypto';
import { isLastHandledReset, type AutomationCondition } from '../sdk/automation-conditions.js';
import { describeConditionNode, nodeKindName } from './condition-labels.js';
import { evaluateLeaf } from './condition-operands.js';
import type { NodeOutcome, NodeState, Node, StateWriter, TreeInput, ConditionState } from './condition-tree-types.js';
import type { EvaluationNode } from './evaluation-tree.js';

/** The outcome of a whole tree: the partitions to request, the record of every node, the state to store. */
export interface TreeResult {
  readonly truePartitions: ReadonlySet<string>;
  readonly tree: EvaluationNode;
  /** The root's explanation per partition: the reasons of the nodes that decided it. */
  readonly reasons: ReadonlyMap<string, readonly string[]>;
  readonly next: ConditionState;
  /** Partitions for which a dep-update operand with `runPerEvent` held (one run per event). */
  readonly runPerEvent: ReadonlySet<string>;
}

interface Evaluated extends NodeOutcome {
  readonly node: Node;
  readonly children: readonly Evaluated[];
}

/** A node's id: a hash of its subtree, so a latch survives wherever the node sits and an unrelated edit elsewhere. */
export function nodeId(node: Node): string {
  return createHash('sha256').update(JSON.stringify(node)).digest('hex').slice(0, 16);
}

/**
 * Evaluates a condition tree over the candidate partitions, Dagster's way: every child over
 * every candidate (so no transition is missed by a latch), `since` latches and `newlyTrue`
 * memories read from the previous state and written to the next. Pure.
 */
export function evaluateTree(root: AutomationCondition | Node, input: TreeInput): TreeResult {
  const next: ConditionState = new Map();
  const write: StateWriter = (id, partition, state) => {
    const rows = next.get(id) ?? new Map<string, NodeState>();
    rows.set(partition, state);
    next.set(id, rows);
  };
  const runPerEvent = new Set<string>();
  const evaluated = evaluate(root, input, write, runPerEvent);
  const reasons = new Map(input.candidates.map((p) => [p, explain(evaluated, p)] as const));
  return { truePartitions: evaluated.truePartitions, tree: record(evaluated, input), reasons, next, runPerEvent };
}

function evaluate(node: Node, input: TreeInput, write: StateWriter, runPerEvent: Set<string>): Evaluated {
  const id = nodeId(node);
  const truePartitions = new Set<string>();
  const reasons = new Map<string, string>();
  const done = (children: Evaluated[]): Evaluated => ({ node, children, truePartitions, reasons });
  switch (node.kind) {
    case 'and':
    case 'or': {
      const children = node.conditions.map((c) => evaluate(c, input, write, runPerEvent));
      for (const p of input.candidates) {
        const values = children.map((c) => c.truePartitions.has(p));
        const value = node.kind === 'and' ? values.every(Boolean) : values.some(Boolean);
        if (value) truePartitions.add(p);
      }
      const e = done(children);
      for (const p of input.candidates) reasons.set(p, explain(e, p).join('; '));
      return e;
    }
    case 'not': {
      const child = evaluate(node.condition, input, write, runPerEvent);
      for (const p of input.candidates) {
        if (!child.truePartitions.has(p)) truePartitions.add(p);
        reasons.set(p, `not (${child.reasons.get(p) ?? ''})`);
      }
      return done([child]);
    }
    case 'newly_true': {
      const child = evaluate(node.condition, input, write, runPerEvent);
      const before = input.previous.get(id);
      for (const p of input.candidates) {
        const now = child.truePartitions.has(p);
        const was = before?.get(p)?.value.true === true;
        write(id, p, { value: { true: now } });
        if (now && !was) truePartitions.add(p);
        reasons.set(p, now ? (was ? 'true at the previous evaluation already' : 'became true') : 'false');
      }
      return done([child]);
    }
    case 'since': {
      const trigger = evaluate(node.trigger, input, write, runPerEvent);
      const reset = evaluate(node.reset, input, write, runPerEvent);
      const before = input.previous.get(id);
      const at = input.now.toISOString();
      const lastHandled = isLastHandledReset(node.reset);
      for (const p of input.candidates) {
        const latched = before?.get(p);
        if (reset.truePartitions.has(p)) {
          // Dagster's SinceCondition: a reset wins over a trigger of the same evaluation. For
          // "since last handled" Weir keeps that for the initial evaluation and for what it
          // stores: evaluated as events land, a trigger seen with a handling (a materialization,
          // a request) holds for this evaluation - pending events are not reflected by the
          // handling (those were consumed with it) - but is not latched: the next evaluation
          // derives it again from what is still pending.
          const quiet = lastHandled && !input.initial;
          if (quiet && trigger.truePartitions.has(p)) {
            truePartitions.add(p);
            reasons.set(p, explain(trigger, p).join('; '));
          } else {
            reasons.set(p, quiet && !latched ? explain(trigger, p).join('; ') : resetReason(node, reset, p));
          }
          continue;
        }
        if (trigger.truePartitions.has(p)) {
          const reason = explain(trigger, p).join('; ');
          write(id, p, { value: {}, since: latched?.since ?? at, reason });
          truePartitions.add(p);
          reasons.set(p, latched ? `${reason} (true since ${latched.since})` : reason);
        } else if (latched) {
          write(id, p, latched);
          truePartitions.add(p);
          reasons.set(p, `${latched.reason ?? 'true'} (true since ${latched.since})`);
        } else {
          reasons.set(p, explain(trigger, p).join('; '));
        }
      }
      return done([trigger, reset]);
    }
    default: {
      for (const p of input.candidates) {
        const facts = input.facts.get(p);
        if (!facts) throw new Error(`no facts gathered for partition '${p}'`);
        const leaf = evaluateLeaf(node, id, p, facts, input, write);
        if (leaf.value) {
          truePartitions.add(p);
          if ((node.kind === 'any_deps_updated' || node.kind === 'all_deps_updated') && node.runPerEvent)
            runPerEvent.add(p);
        }
        reasons.set(p, leaf.reason);
      }
      return done([]);
    }
  }
}

function resetReason(node: Extract<Node, { kind: 'since' }>, reset: Evaluated, p: string): string {
  if (!isLastHandledReset(node.reset)) return `reset: ${reset.reasons.get(p) ?? ''}`;
  // Name the reset that held: the initial evaluation reads best as itself.
  const held = reset.children.filter((c) => c.truePartitions.has(p)).map((c) => c.reasons.get(p) ?? '');
  return held.find((r) => r.startsWith('first evaluation')) ?? `handled: ${held.join('; ')}`;
}

/**
 * The reasons that decided the node for `p`, in words: for a true `and` all of its children,
 * for a false one those that failed; for `or` the reverse; a latch or operand its own reason.
 * This is the flat list decisions kept before trees (messages, `reasons`).
 */
function explain(e: Evaluated, p: string): string[] {
  const value = e.truePartitions.has(p);
  switch (e.node.kind) {
    case 'and':
    case 'or': {
      let decisive =
        (e.node.kind === 'and') === value ? e.children : e.children.filter((c) => c.truePartitions.has(p) === value);
      // A true `and` is explained by what made it true, not by the guards that merely held.
      if (e.node.kind === 'and' && value) {
        const active = decisive.filter((c) => c.node.kind !== 'not' && c.node.kind !== 'in_latest_time_window');
        if (active.length > 0) decisive = active;
      }
      const reasons = decisive.flatMap((c) => explain(c, p));
      // "materialized" explains no false `or` (the missing branch of eager(), onMissing()).
      const told = e.node.kind === 'or' && !value ? reasons.filter((r) => r !== 'materialized') : reasons;
      return [...new Set(told.length > 0 ? told : reasons)];
    }
    case 'not': {
      const child = e.children[0]!;
      // Operands that read as a reason to wait (dep missing, in progress) need no "not".
      const waits = ['any_deps_missing', 'any_deps_in_progress', 'in_progress'].includes(child.node.kind);
      return waits ? explain(child, p) : explain(child, p).map((r) => `not (${r})`);
    }
    case 'since':
      // A latch tells its trigger's reasons (joined when it was evaluated).
      return (e.reasons.get(p) ?? '').split('; ');
    default:
      return [e.reasons.get(p) ?? ''];
  }
}

function record(e: Evaluated, input: TreeInput): EvaluationNode {
  const partitioned = input.partitions !== undefined;
  const shown = (p: string) => (partitioned ? `[${p}] ` : '');
  return {
    kind: nodeKindName(e.node),
    label: describeConditionNode(e.node),
    value: e.truePartitions.size > 0,
    ...(partitioned
      ? { truePartitions: [...e.truePartitions].sort(), candidatePartitions: [...input.candidates] }
      : {}),
    reasons: input.candidates.map((p) => `${shown(p)}${e.reasons.get(p) ?? ''}`),
    children: e.children.map((c) => record(c, input)),
  };
}

/** The tree restricted to one partition: what that partition's decision event records. */
export function treeForPartition(tree: EvaluationNode, partition: string): EvaluationNode {
  const prefix = `[${partition}] `;
  return {
    ...tree,
    value: tree.truePartitions ? tree.truePartitions.includes(partition) : tree.value,
    ...(tree.truePartitions ? { truePartitions: tree.truePartitions.filter((p) => p === partition) } : {}),
    ...(tree.candidatePartitions ? { candidatePartitions: [partition] } : {}),
    reasons: tree.truePartitions ? tree.reasons.filter((r) => r.startsWith(prefix)) : tree.reasons,
    children: tree.children.map((c) => treeForPartition(c, partition)),
  };
}
