import type { DataSource } from 'typeorm';
import type { Clock } from '../runs/clock.js';
import { getRunView, type RunView } from '../runs/run-queries.js';
import type { Alert } from './alert-sink.port.js';

/** What the run-failure alerts listen to: an engine's `run-finished` events (run ids). */
export interface RunFinishedEvents {
  on(event: 'run-finished', listener: (runId: string) => void): unknown;
  off(event: 'run-finished', listener: (runId: string) => void): unknown;
}

// Step errors quoted in an alert are cut to this length; the run's logs have them whole.
const MAX_ERROR_LENGTH = 300;
const MAX_STEPS_LISTED = 10;

/**
 * Sends one `run.failed` alert per failed run (dedup key `run.failed:<run id>`) when the engine
 * of this process finishes it. A run fails when a step failed after its last retry, so this is
 * also the alert for step failures; the failed steps and their errors are listed in it. In the
 * distributed mode several processes may finish runs (workers, the leading server): each one
 * dispatches and the deduplication keeps it to one alert. Returns the unsubscribe function.
 */
export function alertOnRunFailures(options: {
  readonly events: RunFinishedEvents;
  readonly dataSource: DataSource;
  readonly clock: Clock;
  readonly dispatch: (alert: Alert) => Promise<void>;
  readonly log: (line: string) => void;
}): () => void {
  const listener = (runId: string) => {
    void getRunView(options.dataSource.manager, runId)
      .then((run) =>
        run?.status === 'failed' ? options.dispatch(runFailedAlert(run, options.clock.now())) : undefined,
      )
      .catch((error: unknown) =>
        options.log(`could not alert on the failure of run ${runId}: ${(error as Error).message}`),
      );
  };
  options.events.on('run-finished', listener);
  return () => options.events.off('run-finished', listener);
}

/** The alert for a failed run. */
export function runFailedAlert(run: RunView, now: Date): Alert {
  const failed = run.steps.filter((step) => step.status === 'failed');
  const skipped = run.steps.filter((step) => step.status === 'skipped').length;
  const lines = failed
    .slice(0, MAX_STEPS_LISTED)
    .map(
      (step) =>
        `• ${step.assetKey} failed after ${step.attempts} attempt(s): ${cut(step.error ?? 'no error recorded')}`,
    );
  if (failed.length > MAX_STEPS_LISTED) lines.push(`• … and ${failed.length - MAX_STEPS_LISTED} more`);
  const assets = failed.map((step) => step.assetKey);
  return {
    kind: 'run.failed',
    title: `Run ${run.id.slice(0, 8)} failed: ${assets.slice(0, 3).join(', ')}${assets.length > 3 ? ', …' : ''}`,
    text: [
      `Run ${run.id} (${run.trigger}, selection ${run.selection}) failed.`,
      ...lines,
      ...(skipped > 0 ? [`${skipped} downstream step(s) skipped.`] : []),
    ].join('\n'),
    runId: run.id,
    ...(assets.length === 1 ? { assetKey: assets[0] } : {}),
    dedupKey: `run.failed:${run.id}`,
    at: run.endedAt ?? now.toISOString(),
    details: {
      runId: run.id,
      trigger: run.trigger,
      selection: run.selection,
      failedSteps: assets.join(', '),
      failedCount: failed.length,
      skippedCount: skipped,
    },
  };
}

function cut(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_ERROR_LENGTH ? `${line.slice(0, MAX_ERROR_LENGTH - 1)}…` : line;
}
