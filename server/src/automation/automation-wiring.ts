import type { MaterializedEvent, WeirEngine } from '../engine/weir-engine.js';
import type { AutomationDecision, AutomationService } from './automation-service.js';

/**
 * Makes automation event-driven in this process: each materialization committed here evaluates
 * its automated downstream assets at once (not at a scheduler's next tick), and each run that
 * ends here without materializing some of its assets wakes the downstream assets that waited on
 * them. `track` receives every evaluation started (tests wait for them; errors are logged).
 */
export function wireAutomation(
  engine: WeirEngine,
  automation: AutomationService,
  options: { log: (line: string) => void; track?: (evaluation: Promise<AutomationDecision[]>) => void },
): void {
  const start = (what: string, evaluation: Promise<AutomationDecision[]>) => {
    options.track?.(evaluation);
    evaluation.catch((error: unknown) => options.log(`automation after ${what} failed: ${(error as Error).message}`));
  };
  engine.on('materialized', (event: MaterializedEvent) =>
    start(event.assetKey, automation.onUpstreamEvent(event.assetKey)),
  );
  engine.on('run-finished', (runId: string) => start(`run ${runId}`, automation.onRunEnded(runId)));
}
