import type { AutomationCondition } from '../../sdk/automation.js';

/** An automation condition in the words of the SDK call that made it, e.g. `and(eager(), onCron('0 6 * * *'))`. */
export function describeAutomation(condition: AutomationCondition): string {
  switch (condition.kind) {
    case 'cron':
      return `onCron('${condition.expression}'${condition.timezone === 'UTC' ? '' : `, ${condition.timezone}`})`;
    case 'eager':
      return condition.runPerEvent ? 'eager({ runPerEvent: true })' : 'eager()';
    case 'all_upstreams_updated':
      return condition.runPerEvent ? 'allUpstreamsUpdated({ runPerEvent: true })' : 'allUpstreamsUpdated()';
    case 'missing':
      return 'onMissing()';
    case 'code_version_changed':
      return 'codeVersionChanged()';
    case 'and':
    case 'or':
      return `${condition.kind}(${condition.conditions.map(describeAutomation).join(', ')})`;
    case 'not':
      return `not(${describeAutomation(condition.condition)})`;
  }
}
