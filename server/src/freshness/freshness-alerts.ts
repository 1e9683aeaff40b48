import type { Alert } from '../alerts/alert-sink.port.js';
import { formatDuration } from '../sdk/duration.js';
import type { FreshnessTransition } from './freshness-store.js';

/**
 * The alert for a change of freshness status: `freshness.late`, `freshness.warning`, or
 * `freshness.recovered` when the asset is fresh again. The dedup key names the asset, the
 * partition, the new status and when it began, so re-evaluations, restarts and a second server
 * all produce the same key for the same change.
 */
export function freshnessAlert(transition: FreshnessTransition): Alert {
  const { assetKey, partitionKey, to } = transition;
  const kind = to === 'fresh' ? 'freshness.recovered' : to === 'late' ? 'freshness.late' : 'freshness.warning';
  const target = partitionKey === '' ? assetKey : `${assetKey} [${partitionKey}]`;
  const lag =
    transition.lagMs === null
      ? 'It has never been materialized.'
      : `Last materialized ${formatDuration(transition.lagMs)} ago (${iso(transition.lastMaterializedAt)}).`;
  let title: string;
  let text: string;
  if (to === 'late') {
    title = `${target} is late`;
    text = `${transition.missedDeadline ? `Missed the deadline ${iso(transition.missedDeadline)}` : 'Overdue'} (${transition.policy}). ${lag}`;
  } else if (to === 'warning') {
    title = `${target} is close to its deadline`;
    text = `Due by ${iso(transition.nextDeadline)} (${transition.policy}). ${lag}`;
  } else {
    title = `${target} is fresh again`;
    const missed = transition.missedDeadline ? ` The missed deadline was ${iso(transition.missedDeadline)}.` : '';
    text = `Materialized at ${iso(transition.lastMaterializedAt)} (${transition.policy}), after being ${transition.from}.${missed}`;
  }
  return {
    kind,
    title,
    text,
    assetKey,
    partitionKey,
    dedupKey: `${kind}:${assetKey}:${partitionKey}:${transition.since.toISOString()}`,
    at: transition.since.toISOString(),
    details: {
      status: to,
      previousStatus: transition.from,
      policy: transition.policy,
      since: transition.since.toISOString(),
      missedDeadline: iso(transition.missedDeadline),
      nextDeadline: iso(transition.nextDeadline),
      lagMs: transition.lagMs,
      lastMaterializedAt: iso(transition.lastMaterializedAt),
    },
  };
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
