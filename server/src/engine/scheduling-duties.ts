import { CronScheduler } from '../automation/cron-scheduler.js';
import { PartitionWindowTimer } from '../automation/partition-window-timer.js';
import { SensorRunner } from '../automation/sensor-runner.js';
import { FreshnessMonitor } from '../freshness/freshness-monitor.js';
import { systemClock } from '../runs/clock.js';
import type { Sensor } from '../sdk/sensor.js';
import { LeaderDuties, type LeaderDuty } from './leader-duties.js';
import type { OpenedWeir } from './open-weir.js';

/**
 * The timer-driven duties of the process that schedules (`weir dev`, or the leading
 * `weir server`): cron ticks, freshness deadlines, sensors, and any extra ones (backfills).
 */
export function schedulingDuties(
  weir: OpenedWeir,
  options: {
    sensors: () => readonly Sensor[];
    log: (line: string) => void;
    /** Re-read warning/late assets at this interval (when materializations happen in other processes). */
    freshnessRecheckMs?: number;
    extra?: readonly LeaderDuty[];
  },
): LeaderDuties {
  const { log } = options;
  const base = { dataSource: weir.database.dataSource, graph: () => weir.engine.graph, clock: systemClock, log };
  const scheduler = new CronScheduler({
    ...base,
    onTick: (key, condition, tick) =>
      weir.automation.evaluate(key, { kind: 'cron', expression: condition.expression, tick }),
  });
  const freshness = new FreshnessMonitor({
    ...base,
    materializations: weir.engine,
    alert: (alert) => weir.alerting.dispatcher.dispatch(alert),
    ...(options.freshnessRecheckMs === undefined ? {} : { recheckIntervalMs: options.freshnessRecheckMs }),
  });
  const sensors = new SensorRunner({
    ...base,
    sensors: options.sensors,
    automation: weir.automation,
    snapshotId: () => weir.engine.currentSnapshotId(),
    startRun: (runId) => weir.engine.startPlannedRun(runId),
    evaluate: weir.evaluateSensor,
  });
  // Newly missing time partitions (onMissing()) are evaluated when their window ends.
  const windows = new PartitionWindowTimer({
    ...base,
    onWindowEnd: (key, end) => weir.automation.evaluate(key, { kind: 'window', end }),
  });
  return new LeaderDuties([scheduler, windows, freshness, sensors, ...(options.extra ?? [])], log);
}
