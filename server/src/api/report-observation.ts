import type { AutomationService } from '../automation/automation-service.js';
import { recordObservation } from '../automation/upstream-events.js';
import type { WeirEngine } from '../engine/weir-engine.js';

/** An observation of an (external) asset, as REST and GraphQL receive it. */
export interface ReportedObservation {
  readonly assetKey: string;
  readonly partition?: string;
  readonly dataVersion?: string;
  readonly metadata?: Record<string, unknown>;
}

/**
 * Records the observation, then lets the automated downstream assets react to it at once.
 * Returns its id and the runs it made start. The caller has checked the asset exists.
 */
export async function reportObservation(
  engine: WeirEngine,
  automation: AutomationService | undefined,
  event: ReportedObservation,
): Promise<{ observationId: string; runsRequested: string[] }> {
  const observationId = await engine.dataSource.transaction((manager) =>
    recordObservation(manager, engine.graph, {
      assetKey: event.assetKey,
      partitionKey: event.partition,
      dataVersion: event.dataVersion,
      metadata: event.metadata,
      source: 'api',
    }),
  );
  const decisions = (await automation?.onUpstreamEvent(event.assetKey)) ?? [];
  return { observationId, runsRequested: decisions.flatMap((decision) => decision.runIds) };
}
