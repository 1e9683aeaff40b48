import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import { consumesUpstreamEvents } from '../sdk/automation.js';
import { appendEvents } from '../storage/event-log.js';
import type { JsonObject } from '../storage/json-value.js';

/** The downstream assets whose automation consumes events of `assetKey`. */
export function automatedDownstreamOf(graph: AssetGraph, assetKey: string): string[] {
  return graph.downstreamOf(assetKey).filter((key) => {
    const definition = graph.get(key);
    return definition.kind === 'asset' && consumesUpstreamEvents(definition.automation);
  });
}

/**
 * Delivers an upstream event to each automated downstream asset's inbox, inside the
 * transaction that commits the event itself: a materialization or observation that committed
 * is never missing from an inbox, and one that rolled back is never in one.
 */
export async function deliverUpstreamEvent(
  manager: EntityManager,
  graph: AssetGraph,
  event: { assetKey: string; partitionKey: string; materializationId?: string; observationId?: string },
): Promise<number> {
  const downstream = automatedDownstreamOf(graph, event.assetKey);
  if (downstream.length === 0) return 0;
  await manager.query(
    `INSERT INTO automation_inbox (downstream_key, upstream_key, partition_key, materialization_id, observation_id)
     SELECT d, $2, $3, $4, $5 FROM unnest($1::text[]) AS d`,
    [downstream, event.assetKey, event.partitionKey, event.materializationId ?? null, event.observationId ?? null],
  );
  return downstream.length;
}

/** Records an observation of an (external) asset and delivers it to automated downstream assets. */
export async function recordObservation(
  manager: EntityManager,
  graph: AssetGraph,
  input: {
    assetKey: string;
    partitionKey?: string;
    dataVersion?: string;
    metadata?: Record<string, unknown>;
    source: string;
  },
): Promise<string> {
  const id = randomUUID();
  const partitionKey = input.partitionKey ?? '';
  await manager.query(
    `INSERT INTO observations (id, asset_key, partition_key, data_version, metadata, source) VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, input.assetKey, partitionKey, input.dataVersion ?? null, JSON.stringify(input.metadata ?? {}), input.source],
  );
  const delivered = await deliverUpstreamEvent(manager, graph, {
    assetKey: input.assetKey,
    partitionKey,
    observationId: id,
  });
  await appendEvents(manager, [
    {
      type: 'asset.observed',
      message: `observed by ${input.source}${input.dataVersion ? ` (data version ${input.dataVersion})` : ''}`,
      assetKey: input.assetKey,
      data: {
        observationId: id,
        dataVersion: input.dataVersion ?? null,
        metadata: (input.metadata ?? {}) as JsonObject,
        delivered,
      },
    },
  ]);
  return id;
}
