import { lastCompletePartition, partitionWindow } from '../partitions/partition-keys.js';
import type { DepSelection } from '../sdk/automation-conditions.js';
import type { EvaluationFacts } from './evaluation-facts.js';
import { COUNTS_NODE, type Node, type StateWriter, type TreeInput } from './condition-tree-types.js';

/** A leaf's value and reason for one partition. */
export interface Leaf {
  readonly value: boolean;
  readonly reason: string;
}

const list = (keys: readonly string[]) => keys.join(', ');
// A dep is named `key` or, for partitioned deps, `key [p1, p2]`.
const depKey = (label: string) => label.split(' [')[0]!;

/** Whether a dep is looked at by an operand with this selection. */
export function selected(deps: DepSelection | undefined, key: string): boolean {
  if (deps?.allow && !deps.allow.includes(key)) return false;
  return !(deps?.ignore ?? []).includes(key);
}

export function cronId(node: { expression: string; timezone: string }): string {
  return `${node.expression}|${node.timezone}`;
}

/**
 * Evaluates a leaf operand for partition `p` (`''` unpartitioned). Stateful operands
 * (`newly_missing`, `code_version_changed`, `all_deps_updated_since_cron`) read their previous
 * state from `input.previous` and write the next one through `write`.
 */
export function evaluateLeaf(
  node: Node,
  nodeId: string,
  p: string,
  f: EvaluationFacts,
  input: TreeInput,
  write: StateWriter,
): Leaf {
  const previous = input.previous.get(nodeId)?.get(p);
  switch (node.kind) {
    case 'missing':
      return f.selfMissing ? { value: true, reason: 'never materialized' } : { value: false, reason: 'materialized' };
    case 'newly_missing': {
      write(nodeId, p, { value: { missing: f.selfMissing } });
      if (!f.selfMissing) return { value: false, reason: 'materialized' };
      // A key first seen now: newly missing for a time window that just ended, and for a
      // static/dynamic key added since unless `newKeys: false` (eager() never backfills new keys).
      const newKey = previous === undefined && !input.initial;
      if (newKey && !node.newKeys && input.partitions && input.partitions.kind !== 'time')
        return { value: false, reason: 'missing, a key added to the set (not a backfill by this condition)' };
      if (previous !== undefined && previous.value.missing === true)
        return { value: false, reason: 'missing since before the previous evaluation' };
      return {
        value: true,
        reason: newKey ? 'newly missing (a partition that did not exist before)' : 'newly missing',
      };
    }
    case 'in_progress':
      return f.selfInProgress
        ? { value: true, reason: `waiting: ${f.assetKey} is already in progress` }
        : { value: false, reason: 'not in progress' };
    case 'initial_evaluation':
      return input.initial
        ? { value: true, reason: 'first evaluation of this condition: what is already true is not acted on' }
        : { value: false, reason: 'evaluated before' };
    case 'newly_requested':
    case 'newly_updated': {
      const field = node.kind === 'newly_requested' ? 'steps' : 'materializations';
      const now = input.counts.get(p)?.[field] ?? 0;
      const before = Number(input.previous.get(COUNTS_NODE)?.get(p)?.value[field] ?? (input.initial ? now : 0));
      const verb = node.kind === 'newly_requested' ? 'requested' : 'materialized';
      return now > before
        ? { value: true, reason: `${verb} since the previous evaluation` }
        : { value: false, reason: `not ${verb} since the previous evaluation` };
    }
    case 'code_version_changed': {
      const current = f.codeVersion ?? null;
      write(nodeId, '', { value: { codeVersion: current } });
      if (f.selfMissing) return { value: false, reason: 'never materialized: missing, not a code change' };
      const before = input.previous.get(nodeId)?.get('')?.value.codeVersion;
      if (before === undefined) return { value: false, reason: `code version ${current ?? 'none'} (first evaluation)` };
      return before === current
        ? { value: false, reason: `code version unchanged (${current ?? 'none'})` }
        : { value: true, reason: `code version changed from ${String(before ?? 'none')} to ${current ?? 'none'}` };
    }
    case 'in_latest_time_window': {
      const partitions = input.partitions;
      if (!partitions || partitions.kind !== 'time' || p === '') return { value: true, reason: 'not time-partitioned' };
      const latest = lastCompletePartition(partitions, input.now);
      if (latest === undefined) return { value: false, reason: 'no time window is complete yet' };
      if (p === latest) return { value: true, reason: `${p} is the latest complete time window` };
      const lookback = node.lookbackMs ?? 0;
      const inside =
        partitionWindow(partitions, p).end.getTime() > partitionWindow(partitions, latest).end.getTime() - lookback;
      return inside
        ? { value: true, reason: `${p} is within the lookback of the latest window (${latest})` }
        : { value: false, reason: `${p} is older than the latest complete time window (${latest})` };
    }
    case 'cron_tick_passed': {
      const trigger = f.trigger;
      return trigger.kind === 'cron' && trigger.expression === node.expression
        ? { value: true, reason: `cron tick ${trigger.tick.toISOString()} (${node.expression}, ${node.timezone})` }
        : { value: false, reason: `not a tick of ${node.expression}` };
    }
    case 'any_deps_updated':
    case 'all_deps_updated': {
      const events = f.pendingEvents.filter((e) => selected(node.deps, e.upstreamKey));
      const updated = [...new Set(events.map((e) => e.upstreamKey))];
      if (updated.length === 0) return { value: false, reason: 'no upstream updated since the last run' };
      if (node.kind === 'all_deps_updated') {
        const waiting = f.upstreamKeys.filter((key) => selected(node.deps, key) && !updated.includes(key));
        if (waiting.length > 0)
          return { value: false, reason: `waiting: ${list(waiting)} not updated yet (updated: ${list(updated)})` };
      }
      const latest = events.reduce((max, e) => (e.at > max ? e.at : max), events[0]!.at);
      return {
        value: true,
        reason: `upstream ${list(updated)} updated (${events.length} event(s), latest at ${latest.toISOString()})`,
      };
    }
    case 'any_deps_missing': {
      const missing = f.missingUpstreams.filter((label) => selected(node.deps, depKey(label)));
      return missing.length > 0
        ? { value: true, reason: `waiting: upstream ${list(missing)} never materialized` }
        : { value: false, reason: 'no upstream missing' };
    }
    case 'any_deps_in_progress': {
      const busy = f.upstreamsInProgress.filter((label) => selected(node.deps, depKey(label)));
      return busy.length > 0
        ? { value: true, reason: `waiting: upstream ${list(busy)} in progress` }
        : { value: false, reason: 'no upstream in progress' };
    }
    case 'all_deps_updated_since_cron':
      return allDepsUpdatedSinceCron(node, nodeId, p, f, input, write);
    default:
      throw new Error(`not a leaf operand: ${node.kind}`);
  }
}

/**
 * Dagster's `all_deps_match(newly_updated.since(cron_tick_passed))`: per partition, the deps
 * updated since the latest tick (a latch reset at each tick, the tick winning over an update
 * seen in the same evaluation). An update = an inbox event newer than the previous evaluation.
 */
function allDepsUpdatedSinceCron(
  node: Extract<Node, { kind: 'all_deps_updated_since_cron' }>,
  nodeId: string,
  p: string,
  f: EvaluationFacts,
  input: TreeInput,
  write: StateWriter,
): Leaf {
  const tick = input.cronTicks[cronId(node)];
  const isTick = f.trigger.kind === 'cron' && f.trigger.expression === node.expression;
  const before = isTick ? [] : ((input.previous.get(nodeId)?.get(p)?.value.deps as string[] | undefined) ?? []);
  const updated = new Set(before);
  if (!isTick) for (const e of f.pendingEvents) if (Number(e.id) > input.lastInboxId) updated.add(e.upstreamKey);
  write(nodeId, p, { value: { deps: [...updated].sort() } });
  const deps = f.upstreamKeys.filter((key) => selected(node.deps, key));
  if (deps.length === 0) return { value: true, reason: 'no deps to wait for' };
  if (tick === undefined) return { value: false, reason: `no tick of ${node.expression} seen yet` };
  const shownTick = new Date(tick).toISOString();
  const waiting = deps.filter((key) => !updated.has(key));
  return waiting.length === 0
    ? { value: true, reason: `every dep updated since the ${shownTick} tick` }
    : { value: false, reason: `waiting for dep ${list(waiting)} since the ${shownTick} tick` };
}
