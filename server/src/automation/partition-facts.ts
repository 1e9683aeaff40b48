import type { EntityManager } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import { currentPartitionKeys, lastCompletePartition } from '../partitions/partition-keys.js';
import { downstreamPartitionKeys, upstreamPartitionKeys } from '../partitions/partition-mapping.js';
import { loadPartitionContext } from '../runs/partition-plan.js';
import type { EvaluationFacts, EvaluationTrigger, PendingEvent } from './evaluation-facts.js';

/** The facts of one partition of a partitioned asset, evaluated like an asset of its own. */
export interface PartitionFacts {
  readonly partitionKey: string;
  readonly facts: EvaluationFacts;
}

interface InboxRow {
  id: string | number;
  upstream_key: string;
  partition_key: string;
  created_at: Date;
}

/**
 * What the automation condition of each concerned partition of `assetKey` may look at. The
 * partitions evaluated are those an upstream event concerns (through the input's partition
 * mapping: with identity, upstream partition `p` concerns partition `p`), the last complete
 * partition at a cron tick, and on a deploy also the current partitions (see
 * `currentPartitionKeys`). Each partition has its own pending events, and is missing, in
 * progress or waiting on upstream partitions on its own.
 */
export async function gatherPartitionFacts(
  manager: EntityManager,
  graph: AssetGraph,
  assetKey: string,
  trigger: EvaluationTrigger,
  now: Date,
): Promise<PartitionFacts[]> {
  const definition = graph.get(assetKey);
  const partitions = graph.partitionsOf(assetKey)!;
  const inputs = graph.mappedInputsOf(assetKey);
  const upstreamKeys = [...graph.upstreamOf(assetKey)];
  const keys = [assetKey, ...upstreamKeys];
  // Read 'in progress' first, as `gatherFacts` does: on PostgreSQL each statement sees the
  // latest commits, so a run of a partition ending while the statements below execute is either
  // seen here as still in progress (the partition waits) or, by every later statement, as ended
  // with its materialization (which then consumes the events it reflected). Read after them, it
  // could be seen ended but not yet materialized, and its events run a second time.
  const inProgress: Array<{ asset_key: string; partition_key: string }> = await manager.query(
    `SELECT DISTINCT s.asset_key, s.partition_key FROM steps s JOIN runs r ON r.id = s.run_id
      WHERE r.status IN ('queued', 'running', 'canceling')
        AND s.status IN ('pending', 'queued', 'running', 'retry_scheduled')
        AND s.asset_key = ANY($1::text[])`,
    [keys],
  );
  const ctx = await loadPartitionContext(manager, graph, [assetKey], now);

  // Pending upstream events, each filed under the partitions it concerns.
  const pending: InboxRow[] = await manager.query(
    `SELECT id, upstream_key, partition_key, created_at FROM automation_inbox
      WHERE downstream_key = $1 AND consumed_at IS NULL ORDER BY id`,
    [assetKey],
  );
  const concerned = new Map<string, string[]>();
  for (const row of pending) {
    const keys = new Set<string>();
    for (const input of inputs.filter((i) => i.key === row.upstream_key)) {
      const upstream = graph.partitionsOf(input.key);
      for (const key of downstreamPartitionKeys(input.mapping, partitions, upstream, row.partition_key, ctx))
        keys.add(key);
    }
    concerned.set(String(row.id), [...keys]);
  }
  await consumeReflectedEvents(manager, assetKey, pending, concerned);
  const byPartition = new Map<string, PendingEvent[]>();
  for (const row of pending) {
    for (const key of concerned.get(String(row.id)) ?? []) {
      const events = byPartition.get(key) ?? [];
      events.push({ id: String(row.id), upstreamKey: row.upstream_key, at: new Date(row.created_at) });
      byPartition.set(key, events);
    }
  }

  const candidates = new Set<string>();
  if (trigger.kind === 'cron') {
    // A cron tick materializes the last partition complete at the tick (for a static or
    // dynamic set, every key).
    const keys =
      partitions.kind === 'time'
        ? [lastCompletePartition(partitions, trigger.tick)].filter((k): k is string => k !== undefined)
        : currentPartitionKeys(partitions, ctx);
    keys.forEach((key) => candidates.add(key));
  } else {
    for (const key of byPartition.keys()) candidates.add(key);
    if (trigger.kind === 'deploy' || trigger.kind === 'window')
      currentPartitionKeys(partitions, ctx).forEach((key) => candidates.add(key));
  }
  if (candidates.size === 0) return [];

  const materialized: Array<{ asset_key: string; partition_key: string; code_version: string | null }> =
    await manager.query(
      `SELECT DISTINCT ON (asset_key, partition_key) asset_key, partition_key, code_version FROM materializations
        WHERE asset_key = ANY($1::text[]) ORDER BY asset_key, partition_key, created_at DESC`,
      [keys],
    );
  const observed: Array<{ asset_key: string }> = await manager.query(
    `SELECT DISTINCT asset_key FROM observations WHERE asset_key = ANY($1::text[])`,
    [upstreamKeys],
  );
  const id = (asset: string, partition: string) => `${asset}\u0000${partition}`;
  const latest = new Map(materialized.map((row) => [id(row.asset_key, row.partition_key), row]));
  const anyMaterialized = new Set([...materialized.map((row) => row.asset_key), ...observed.map((r) => r.asset_key)]);
  const busy = new Set(inProgress.map((row) => id(row.asset_key, row.partition_key)));
  const anyBusy = new Set(inProgress.map((row) => row.asset_key));

  return [...candidates].sort().map((partitionKey) => {
    const missingUpstreams: string[] = [];
    const upstreamsInProgress: string[] = [];
    for (const input of inputs) {
      const upstream = graph.partitionsOf(input.key);
      const needed = upstreamPartitionKeys(input.mapping, partitions, upstream, partitionKey);
      const label = (keys: readonly string[]) => (upstream ? `${input.key} [${keys.join(', ')}]` : input.key);
      if (needed === undefined || graph.get(input.key).kind === 'source') {
        if (!anyMaterialized.has(input.key)) missingUpstreams.push(input.key);
        if (anyBusy.has(input.key)) upstreamsInProgress.push(input.key);
        continue;
      }
      const missing = needed.filter((key) => !latest.has(id(input.key, key)));
      if (missing.length > 0) missingUpstreams.push(label(missing));
      const running = needed.filter((key) => busy.has(id(input.key, key)));
      if (running.length > 0) upstreamsInProgress.push(label(running));
    }
    const own = latest.get(id(assetKey, partitionKey));
    return {
      partitionKey,
      facts: {
        assetKey,
        trigger,
        upstreamKeys,
        pendingEvents: byPartition.get(partitionKey) ?? [],
        missingUpstreams,
        upstreamsInProgress,
        selfMissing: !own,
        selfInProgress: busy.has(id(assetKey, partitionKey)),
        codeVersion: definition.kind === 'asset' ? definition.codeVersion : undefined,
        materializedCodeVersion: own?.code_version ?? undefined,
      },
    };
  });
}

/**
 * Events already reflected by a materialization of a partition they concern (its attempt loaded
 * its inputs after the event committed, e.g. a manual run or a backfill) no longer concern that
 * partition; reflected by every partition they concern, they are consumed by the run that
 * reflected them, not run again: the partitioned form of the same rule in `gatherFacts`.
 */
async function consumeReflectedEvents(
  manager: EntityManager,
  assetKey: string,
  pending: InboxRow[],
  concerned: Map<string, string[]>,
): Promise<void> {
  const partitions = [...new Set([...concerned.values()].flat())];
  if (partitions.length === 0) return;
  const rows: Array<{ partition_key: string; run_id: string; started_at: Date }> = await manager.query(
    `SELECT DISTINCT ON (m.partition_key) m.partition_key, m.run_id, a.started_at
       FROM materializations m JOIN attempts a ON a.id = m.attempt_id
      WHERE m.asset_key = $1 AND m.partition_key = ANY($2::text[])
      ORDER BY m.partition_key, m.created_at DESC`,
    [assetKey, partitions],
  );
  const latest = new Map(rows.map((row) => [row.partition_key, row]));
  const byRun = new Map<string, string[]>();
  for (let i = pending.length - 1; i >= 0; i--) {
    const row = pending[i]!;
    const keys = concerned.get(String(row.id)) ?? [];
    if (keys.length === 0) continue;
    const reflects = (key: string) => {
      const m = latest.get(key);
      return m !== undefined && new Date(m.started_at) > new Date(row.created_at);
    };
    const left = keys.filter((key) => !reflects(key));
    concerned.set(String(row.id), left);
    if (left.length > 0) continue;
    const runId = latest.get(keys[keys.length - 1]!)!.run_id;
    byRun.set(runId, [...(byRun.get(runId) ?? []), String(row.id)]);
    pending.splice(i, 1);
  }
  for (const [runId, ids] of byRun) {
    await manager.query(
      `UPDATE automation_inbox SET consumed_by_run_id = $1, consumed_at = now()
        WHERE id = ANY($2::bigint[]) AND consumed_at IS NULL`,
      [runId, ids],
    );
  }
}
