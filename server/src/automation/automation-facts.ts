import type { EntityManager } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import type { EvaluationFacts, EvaluationTrigger, PendingEvent } from './evaluation-facts.js';

/** Reads from the database what a condition of `assetKey` may look at. */
export async function gatherFacts(
  manager: EntityManager,
  graph: AssetGraph,
  assetKey: string,
  trigger: EvaluationTrigger,
): Promise<EvaluationFacts> {
  const definition = graph.get(assetKey);
  const upstreamKeys = [...graph.upstreamOf(assetKey)];
  const keys = [assetKey, ...upstreamKeys];
  // Read 'in progress' first. On PostgreSQL each statement below sees the latest commits, so a
  // run of this asset ending while they execute is either seen here as still in progress (the
  // evaluation waits) or, by every later statement, as ended with its materialization (which
  // then consumes the events it reflected) - never as ended but not yet materialized.
  const inProgress: Array<{ asset_key: string }> = await manager.query(
    `SELECT DISTINCT s.asset_key FROM steps s JOIN runs r ON r.id = s.run_id
      WHERE r.status IN ('queued', 'running', 'canceling')
        AND s.status IN ('pending', 'queued', 'running', 'retry_scheduled')
        AND s.asset_key = ANY($1::text[])`,
    [keys],
  );
  // Events already reflected by a materialization of this asset (its attempt loaded its inputs
  // after the event committed, e.g. a manual run) are consumed by that run, not run again.
  await manager.query(
    `UPDATE automation_inbox i SET consumed_by_run_id = latest.run_id, consumed_at = now()
       FROM (SELECT m.run_id, a.started_at FROM materializations m JOIN attempts a ON a.id = m.attempt_id
              WHERE m.asset_key = $1 ORDER BY m.created_at DESC LIMIT 1) AS latest
      WHERE i.downstream_key = $1 AND i.consumed_at IS NULL
        AND (i.created_at < latest.started_at
             -- Same run: the upstream step committed before this one started (no clock involved).
             OR i.materialization_id IN (SELECT id FROM materializations WHERE run_id = latest.run_id))`,
    [assetKey],
  );
  const pending: Array<{ id: string | number; upstream_key: string; created_at: Date }> = await manager.query(
    `SELECT id, upstream_key, created_at FROM automation_inbox
      WHERE downstream_key = $1 AND consumed_at IS NULL ORDER BY id`,
    [assetKey],
  );
  const materialized: Array<{ asset_key: string; code_version: string | null }> = await manager.query(
    `SELECT DISTINCT ON (asset_key) asset_key, code_version FROM materializations
      WHERE asset_key = ANY($1::text[]) ORDER BY asset_key, created_at DESC`,
    [keys],
  );
  const observed: Array<{ asset_key: string }> = await manager.query(
    `SELECT DISTINCT asset_key FROM observations WHERE asset_key = ANY($1::text[])`,
    [upstreamKeys],
  );
  const latest = new Map(materialized.map((row) => [row.asset_key, row]));
  const seen = new Set([...latest.keys(), ...observed.map((row) => row.asset_key)]);
  const busy = new Set(inProgress.map((row) => row.asset_key));
  return {
    assetKey,
    trigger,
    upstreamKeys,
    pendingEvents: pending.map((row): PendingEvent => ({
      id: String(row.id),
      upstreamKey: row.upstream_key,
      at: new Date(row.created_at),
    })),
    missingUpstreams: upstreamKeys.filter((key) => !seen.has(key)),
    upstreamsInProgress: upstreamKeys.filter((key) => busy.has(key)),
    selfMissing: !latest.has(assetKey),
    selfInProgress: busy.has(assetKey),
    codeVersion: definition.kind === 'asset' ? definition.codeVersion : undefined,
    materializedCodeVersion: latest.get(assetKey)?.code_version ?? undefined,
  };
}
