import { isLastHandledReset, type ConditionData } from '../../sdk/automation.js';

/** An automation condition in the words of the SDK call that made it, e.g. `and(eager(), onCron('0 6 * * *'))`. */
export function describeAutomation(condition: ConditionData): string {
  if (condition.label) return condition.label;
  const deps = 'deps' in condition && condition.deps ? describeDeps(condition.deps) : '';
  switch (condition.kind) {
    case 'cron_tick_passed':
    case 'all_deps_updated_since_cron': {
      const name = condition.kind === 'cron_tick_passed' ? 'cronTickPassed' : 'allDepsUpdatedSinceCron';
      const tz = condition.timezone === 'UTC' ? '' : `, { timezone: '${condition.timezone}' }`;
      return `${name}('${condition.expression}'${tz})${deps}`;
    }
    case 'any_deps_updated':
      return `anyDepsUpdated(${condition.runPerEvent ? '{ runPerEvent: true }' : ''})${deps}`;
    case 'all_deps_updated':
      return `allDepsUpdated(${condition.runPerEvent ? '{ runPerEvent: true }' : ''})${deps}`;
    case 'any_deps_missing':
      return `anyDepsMissing()${deps}`;
    case 'any_deps_in_progress':
      return `anyDepsInProgress()${deps}`;
    case 'newly_missing':
      return condition.newKeys ? 'newlyMissing()' : 'newlyMissing({ newKeys: false })';
    case 'in_latest_time_window':
      return condition.lookbackMs === undefined
        ? 'inLatestTimeWindow()'
        : `inLatestTimeWindow({ lookback: ${condition.lookbackMs} })`;
    case 'since':
      if (isLastHandledReset(condition.reset)) return `${describeAutomation(condition.trigger)}.sinceLastHandled()`;
      return `${describeAutomation(condition.trigger)}.since(${describeAutomation(condition.reset)})`;
    case 'newly_true':
      return `${describeAutomation(condition.condition)}.newlyTrue()`;
    case 'and':
    case 'or':
      return `${condition.kind}(${condition.conditions.map(describeAutomation).join(', ')})`;
    case 'not':
      return `not(${describeAutomation(condition.condition)})`;
    default:
      return `${camel(condition.kind)}()`;
  }
}

function describeDeps(deps: { allow?: readonly string[]; ignore?: readonly string[] }): string {
  const list = (keys: readonly string[]) => `[${keys.map((k) => `'${k}'`).join(', ')}]`;
  return `${deps.allow ? `.allow(${list(deps.allow)})` : ''}${deps.ignore ? `.ignore(${list(deps.ignore)})` : ''}`;
}

function camel(kind: string): string {
  return kind.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}
