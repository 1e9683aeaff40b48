import { isLastHandledReset } from '../sdk/automation-conditions.js';
import type { Node } from './condition-tree-types.js';

const WORDS: Record<string, string> = {
  missing: 'missing',
  newly_missing: 'newly missing',
  in_progress: 'in progress',
  initial_evaluation: 'initial evaluation',
  newly_requested: 'newly requested',
  newly_updated: 'newly updated',
  code_version_changed: 'code version changed',
  in_latest_time_window: 'in latest time window',
  any_deps_updated: 'any dep updated',
  all_deps_updated: 'all deps updated',
  any_deps_missing: 'any dep missing',
  any_deps_in_progress: 'any dep in progress',
  newly_true: 'newly true',
  and: 'all of',
  or: 'any of',
  not: 'not',
};

/** The node's kind as the evaluation tree names it (the SDK's camelCase name), e.g. `anyDepsUpdated`, `sinceLastHandled`. */
export function nodeKindName(node: Node): string {
  if (node.kind === 'since' && isLastHandledReset(node.reset)) return 'sinceLastHandled';
  return node.kind.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** How people read the node, e.g. `eager()`, `any dep updated (ignoring raw/x)`, `cron tick passed (0 6 * * *, UTC)`. */
export function describeConditionNode(node: Node): string {
  if (node.label) return node.label;
  const deps = 'deps' in node && node.deps ? depWords(node.deps) : '';
  switch (node.kind) {
    case 'cron_tick_passed':
      return `cron tick passed (${node.expression}, ${node.timezone})`;
    case 'all_deps_updated_since_cron':
      return `all deps updated since the tick (${node.expression}, ${node.timezone})${deps}`;
    case 'in_latest_time_window':
      return node.lookbackMs ? `in latest time window (lookback ${node.lookbackMs} ms)` : 'in latest time window';
    case 'newly_missing':
      return node.newKeys ? 'newly missing' : 'newly missing (not new keys)';
    case 'since':
      return isLastHandledReset(node.reset) ? 'since last handled' : 'since';
    default:
      return `${WORDS[node.kind] ?? node.kind}${deps}`;
  }
}

function depWords(deps: { allow?: readonly string[]; ignore?: readonly string[] }): string {
  const parts = [
    ...(deps.allow ? [`only ${deps.allow.join(', ')}`] : []),
    ...(deps.ignore ? [`ignoring ${deps.ignore.join(', ')}`] : []),
  ];
  return ` (${parts.join('; ')})`;
}
