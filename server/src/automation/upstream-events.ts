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

/**
 * Records an observation of an (external) asset and delivers it to automated downstream assets,
 * unless it reports the same data version as the previous observation of that asset (partition):
 * as in Dagster, an observation only "updates" an asset when its data version changed (or when
 * it has none, so nothing says it did not). An unchanged one is still recorded and logged.
 */
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
  const unchanged =
    input.dataVersion !== undefined &&
    (await lastDataVersion(manager, input.assetKey, partitionKey)) === input.dataVersion;
  await manager.query(
    // clock_timestamp(): several observations in one transaction (a sensor tick) keep their order.
    `INSERT INTO observations (id, asset_key, partition_key, data_version, metadata, source, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())`,
    [id, input.assetKey, partitionKey, input.dataVersion ?? null, JSON.stringify(input.metadata ?? {}), input.source],
  );
  const delivered = unchanged
    ? 0
    : await deliverUpstreamEvent(manager, graph, { assetKey: input.assetKey, partitionKey, observationId: id });
  await appendEvents(manager, [
    {
      type: 'asset.observed',
      message: `observed by ${input.source}${input.dataVersion ? ` (data version ${input.dataVersion}${unchanged ? ', unchanged: not an update' : ''})` : ''}`,
      assetKey: input.assetKey,
      data: {
        observationId: id,
        dataVersion: input.dataVersion ?? null,
        metadata: (input.metadata ?? {}) as JsonObject,
        delivered,
        unchanged,
      },
    },
  ]);
  return id;
}

/**
 * The data version of the latest observation of an asset (partition), read under a lock per
 * asset so that two observations reporting the same new version at once deliver it once.
 */
async function lastDataVersion(manager: EntityManager, assetKey: string, partitionKey: string): Promise<string | null> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`weir-observe:${assetKey}`]);
  const rows: Array<{ data_version: string | null }> = await manager.query(
    `SELECT data_version FROM observations WHERE asset_key = $1 AND partition_key = $2
      ORDER BY created_at DESC LIMIT 1`,
    [assetKey, partitionKey],
  );
  return rows[0]?.data_version ?? null;
}
