/**
 * `describeTrigger(trigger)`: what woke an automation decision, in words ("after an upstream
 * update", "at the 0 6 * * * tick"). The API gives the trigger as the JSON the engine recorded;
 * anything else is shown as it is.
 */
export function describeTrigger(trigger: string | null): string | null {
  if (trigger === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trigger);
  } catch {
    return trigger;
  }
  const recorded = parsed as { kind?: unknown; schedule?: unknown };
  switch (recorded?.kind) {
    case 'upstream':
      return 'after an upstream update';
    case 'deploy':
      return 'at deploy';
    case 'cron':
      return `at the ${String(recorded.schedule)} tick`;
    default:
      return typeof recorded?.kind === 'string' ? recorded.kind : trigger;
  }
}
