import type { RunRequest } from '../runs/run-planner.js';
import type { EvaluationTrigger, PendingEvent } from './evaluation-facts.js';

/** The cron tick a request answers: the tick evaluated, or the latest tick of a cron latch that waited for its deps. */
export interface ScheduleTick {
  readonly expression: string;
  readonly tick: string;
}

/** The run an evaluation requests for one partition (`''` unpartitioned), consuming `events`. */
export function requestFor(
  assetKey: string,
  partitionKey: string,
  trigger: EvaluationTrigger,
  events: readonly PendingEvent[],
  schedule: ScheduleTick | undefined,
): RunRequest {
  const partition = partitionKey === '' ? {} : { partitions: [partitionKey] };
  const detail = partitionKey === '' ? {} : { partition: partitionKey };
  const eventDetail = events.map((e) => ({ id: e.id, upstream: e.upstreamKey, at: e.at.toISOString() }));
  if (schedule) {
    return {
      selection: assetKey,
      ...partition,
      trigger: 'schedule',
      triggerDetail: {
        asset: assetKey,
        ...detail,
        tick: schedule.tick,
        schedule: schedule.expression,
        ...(eventDetail.length > 0 ? { events: eventDetail } : {}),
      },
      // Two servers firing the same tick during a change of leader start one run; so do a tick
      // and the upstream landing that completes it. Per partition: each key of a static set has its run.
      idempotencyKey: `schedule:${assetKey}:${schedule.tick}${partitionKey === '' ? '' : `:${partitionKey}`}`,
    };
  }
  return {
    selection: assetKey,
    ...partition,
    trigger: events.length > 0 ? 'upstream' : 'automation',
    triggerDetail: { asset: assetKey, ...detail, events: eventDetail, cause: trigger.kind },
  };
}

export function describeTrigger(trigger: EvaluationTrigger): Record<string, string> {
  switch (trigger.kind) {
    case 'cron':
      return { kind: 'cron', schedule: trigger.expression, tick: trigger.tick.toISOString() };
    case 'window':
      return { kind: 'window', end: trigger.end.toISOString() };
    default:
      return { kind: trigger.kind };
  }
}
