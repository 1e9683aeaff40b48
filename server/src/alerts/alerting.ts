import type { DataSource } from 'typeorm';
import type { Clock } from '../runs/clock.js';
import { AlertDispatcher } from './alert-dispatcher.js';
import { createAlertSinks, type AlertSinkSettings } from './alert-sink.factory.js';
import { alertOnRunFailures, type RunFinishedEvents } from './run-failure-alerts.js';

/** The alerting of one process: its dispatcher, subscribed to its engine's failed runs. */
export interface Alerting {
  readonly dispatcher: AlertDispatcher;
  /** Subscribes to the engine's finished runs (one `run.failed` alert per failed run). */
  watchRuns(events: RunFinishedEvents): void;
  /** Unsubscribes and waits (at most `graceMs`) for deliveries under way. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Builds the configured alert sinks (loading their plugins) and a dispatcher for them. With no
 * sink configured, everything still runs and nothing is sent.
 */
export async function openAlerting(options: {
  readonly settings: AlertSinkSettings;
  readonly dataSource: DataSource;
  readonly clock: Clock;
  readonly log: (line: string) => void;
}): Promise<Alerting> {
  const sinks = await createAlertSinks(options.settings);
  const dispatcher = new AlertDispatcher({ ...options, sinks });
  const unsubscribe: Array<() => void> = [];
  return {
    dispatcher,
    watchRuns(events) {
      if (!dispatcher.enabled) return;
      unsubscribe.push(
        alertOnRunFailures({
          events,
          dataSource: options.dataSource,
          clock: options.clock,
          dispatch: (alert) => dispatcher.dispatch(alert),
          log: options.log,
        }),
      );
    },
    async close(graceMs = 5_000) {
      for (const stop of unsubscribe.splice(0)) stop();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([dispatcher.drain(), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    },
  };
}
