/**
 * Freshness transitions → lanes of coloured segments over a time window, plus a marker per
 * breach (a transition to LATE, with the deadline it missed). One lane per partition, since a
 * partitioned asset's partitions each have their own freshness; the asset itself is one lane.
 */
import type { FreshnessState, FreshnessStatus, FreshnessTransition } from './asset-detail-queries';

export interface TimelineSegment {
  status: FreshnessStatus;
  from: number;
  to: number;
}

export interface BreachMarker {
  at: number;
  missedDeadline: number | null;
  message: string;
}

export interface FreshnessLane {
  partitionKey: string | null;
  segments: TimelineSegment[];
  breaches: BreachMarker[];
}

export interface TimeWindow {
  from: number;
  to: number;
}

const DAY = 86_400_000;
const MAX_WINDOW = 30 * DAY;

/** From the oldest transition shown (at most 30 days back, at least one hour) until now. */
export function timelineWindow(history: readonly FreshnessTransition[], now: number): TimeWindow {
  const oldest = Math.min(...history.map((transition) => Date.parse(transition.at)).filter(Number.isFinite), now);
  return { from: Math.max(now - MAX_WINDOW, Math.min(oldest, now - 3_600_000)), to: now };
}

export function freshnessLanes(
  history: readonly FreshnessTransition[],
  current: FreshnessState | null,
  window: TimeWindow,
  maxLanes = 6,
): FreshnessLane[] {
  const byPartition = new Map<string | null, { at: number; transition: FreshnessTransition }[]>();
  for (const transition of history) {
    const at = Date.parse(transition.at);
    if (!Number.isFinite(at)) continue;
    const list = byPartition.get(transition.partitionKey);
    if (list) list.push({ at, transition });
    else byPartition.set(transition.partitionKey, [{ at, transition }]);
  }

  if (byPartition.size === 0 && current) {
    const since = current.since ? Date.parse(current.since) : window.from;
    return [
      {
        partitionKey: current.partitionKey,
        segments: [{ status: current.status, from: Math.max(since, window.from), to: window.to }],
        breaches: [],
      },
    ];
  }

  const lanes: (FreshnessLane & { lastAt: number })[] = [];
  for (const [partitionKey, entries] of byPartition) {
    entries.sort((a, b) => a.at - b.at);
    const segments: TimelineSegment[] = [];
    entries.forEach((entry, i) => {
      const from = Math.max(entry.at, window.from);
      const to = Math.min(entries[i + 1]?.at ?? window.to, window.to);
      if (to > from) segments.push({ status: entry.transition.status, from, to });
    });
    const breaches = entries
      .filter((entry) => entry.transition.status === 'LATE' && entry.at >= window.from && entry.at <= window.to)
      .map((entry) => ({
        at: entry.at,
        missedDeadline: entry.transition.missedDeadline ? Date.parse(entry.transition.missedDeadline) : null,
        message: entry.transition.message,
      }));
    lanes.push({ partitionKey, segments, breaches, lastAt: entries[entries.length - 1]!.at });
  }
  // The most recently active lanes; the unpartitioned lane (null) first when there is one.
  return lanes
    .sort((a, b) => (a.partitionKey === null ? -1 : b.partitionKey === null ? 1 : b.lastAt - a.lastAt))
    .slice(0, maxLanes)
    .map(({ lastAt: _lastAt, ...lane }) => lane);
}
