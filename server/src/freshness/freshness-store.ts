import type { DataSource, EntityManager } from 'typeorm';
import { formatDuration } from '../sdk/duration.js';
import { describeFreshnessPolicy, type FreshnessPolicy } from '../sdk/freshness.js';
import { appendEvents } from '../storage/event-log.js';
import type { FreshnessEvaluation, FreshnessStatus } from './freshness-policy.js';
import { evaluateSubject, type FreshnessSubject } from './freshness-subject.js';

/** A row of `freshness_states`. */
export interface StoredFreshness {
  readonly assetKey: string;
  readonly partitionKey: string;
  readonly status: FreshnessStatus;
  readonly since: Date;
  readonly lastMaterializedAt: Date | null;
  readonly missedDeadline: Date | null;
  readonly lagMs: number | null;
  readonly lastBreachAt: Date | null;
}

/** A change of status, as written to the event log (and told to the alert sinks). */
export interface FreshnessTransition {
  readonly assetKey: string;
  readonly partitionKey: string;
  readonly from: FreshnessStatus;
  readonly to: FreshnessStatus;
  /** When the asset entered the new status. */
  readonly since: Date;
  readonly policy: string;
  /** Late: the deadline missed. Fresh again after late: the deadline that had been missed. */
  readonly missedDeadline: Date | null;
  readonly nextDeadline: Date | null;
  readonly lagMs: number | null;
  readonly lastMaterializedAt: Date | null;
}

interface StateRow {
  asset_key: string;
  partition_key: string;
  status: FreshnessStatus;
  since: Date | string;
  last_materialized_at: Date | string | null;
  missed_deadline: Date | string | null;
  lag_ms: string | number | null;
  last_breach_at: Date | string | null;
}

const STATE_COLUMNS =
  'asset_key, partition_key, status, since, last_materialized_at, missed_deadline, lag_ms, last_breach_at';

/** An asset and the subject its freshness is held against (see {@link FreshnessSubject}). */
export interface SubjectOf {
  readonly assetKey: string;
  readonly subject: FreshnessSubject;
}

/** The map key of an (asset, partition) pair in the maps read here. */
export function subjectKey(assetKey: string, partitionKey: string): string {
  return `${assetKey}\u0000${partitionKey}`;
}

/**
 * When each subject was last materialized: the end of the step that committed its latest
 * materialization, on the engine's clock. One index lookup per subject, in one query. A time
 * partition counts only its own materializations; a whole asset its unpartitioned one, or else
 * its latest of any partition (static and dynamic partitions). Keyed by {@link subjectKey}.
 */
export async function readLastMaterializations(
  manager: EntityManager,
  subjects: readonly SubjectOf[],
): Promise<Map<string, Date>> {
  const wanted = subjects.filter(({ subject }) => subject.kind !== 'none-due');
  if (wanted.length === 0) return new Map();
  const rows: Array<{ asset_key: string; partition_key: string; at: Date | string | null }> = await manager.query(
    `SELECT k.asset_key, k.partition_key,
            CASE WHEN k.exact THEN
              (SELECT s.ended_at FROM materializations m JOIN steps s ON s.id = m.step_id
                WHERE m.asset_key = k.asset_key AND m.partition_key = k.partition_key
                ORDER BY m.created_at DESC LIMIT 1)
            ELSE coalesce(
              (SELECT s.ended_at FROM materializations m JOIN steps s ON s.id = m.step_id
                WHERE m.asset_key = k.asset_key AND m.partition_key = ''
                ORDER BY m.created_at DESC LIMIT 1),
              -- Evaluated only when the first finds nothing (partitioned, or never materialized).
              (SELECT s.ended_at FROM materializations m JOIN steps s ON s.id = m.step_id
                WHERE m.asset_key = k.asset_key ORDER BY m.created_at DESC LIMIT 1)) END AS at
       FROM unnest($1::text[], $2::text[], $3::boolean[]) AS k(asset_key, partition_key, exact)`,
    [
      wanted.map((item) => item.assetKey),
      wanted.map((item) => item.subject.partitionKey),
      wanted.map((item) => item.subject.kind === 'partition'),
    ],
  );
  const result = new Map<string, Date>();
  for (const row of rows)
    if (row.at !== null) result.set(subjectKey(row.asset_key, row.partition_key), new Date(row.at));
  return result;
}

/** The stored states of these (asset, partition) pairs, keyed by {@link subjectKey}; pairs never evaluated have none. */
export async function readFreshnessStates(
  manager: EntityManager,
  pairs: ReadonlyArray<{ readonly assetKey: string; readonly partitionKey: string }>,
): Promise<Map<string, StoredFreshness>> {
  if (pairs.length === 0) return new Map();
  const rows: StateRow[] = await manager.query(
    `SELECT ${STATE_COLUMNS} FROM freshness_states
      WHERE (asset_key, partition_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [pairs.map((pair) => pair.assetKey), pairs.map((pair) => pair.partitionKey)],
  );
  return new Map(rows.map((row) => [subjectKey(row.asset_key, row.partition_key), toStored(row)]));
}

/** When each asset last became late, in any of its partitions. */
export async function readLastBreaches(
  manager: EntityManager,
  assetKeys: readonly string[],
): Promise<Map<string, Date>> {
  if (assetKeys.length === 0) return new Map();
  const rows: Array<{ asset_key: string; at: Date | string }> = await manager.query(
    `SELECT asset_key, max(last_breach_at) AS at FROM freshness_states
      WHERE asset_key = ANY($1::text[]) AND last_breach_at IS NOT NULL GROUP BY asset_key`,
    [assetKeys],
  );
  return new Map(rows.map((row) => [row.asset_key, new Date(row.at)]));
}

/** The partitions of an asset that are warning or late now, as last recorded, oldest first. */
export async function readBreachedPartitions(manager: EntityManager, assetKey: string): Promise<StoredFreshness[]> {
  const rows: StateRow[] = await manager.query(
    `SELECT ${STATE_COLUMNS} FROM freshness_states
      WHERE asset_key = $1 AND partition_key <> '' AND status <> 'fresh' ORDER BY partition_key`,
    [assetKey],
  );
  return rows.map(toStored);
}

/**
 * Evaluates `assetKey` (the given subject: the whole asset or one time partition) at `now` and
 * records a change of status: under a lock on its `freshness_states` row, the row and a `freshness.<status>` event (with the missed deadline
 * and the lag) commit together. Two evaluators racing (a timer and a materialization, two
 * servers during a change of leader) cannot both record the same change. No change: nothing
 * is written beyond the row's first insertion.
 */
export async function recordFreshness(
  dataSource: DataSource,
  assetKey: string,
  subject: FreshnessSubject,
  policy: FreshnessPolicy,
  now: Date,
): Promise<{ evaluation: FreshnessEvaluation; transition: FreshnessTransition | null }> {
  return dataSource.transaction(async (manager) => {
    // A new asset starts fresh: its first evaluation records how it actually stands.
    await manager.query(
      `INSERT INTO freshness_states (asset_key, partition_key, status, since, updated_at)
       VALUES ($1, $2, 'fresh', $3, $3) ON CONFLICT (asset_key, partition_key) DO NOTHING`,
      [assetKey, subject.partitionKey, now],
    );
    const rows: StateRow[] = await manager.query(
      `SELECT ${STATE_COLUMNS} FROM freshness_states WHERE asset_key = $1 AND partition_key = $2 FOR UPDATE`,
      [assetKey, subject.partitionKey],
    );
    const stored = toStored(rows[0]!);
    const last =
      (await readLastMaterializations(manager, [{ assetKey, subject }])).get(
        subjectKey(assetKey, subject.partitionKey),
      ) ?? null;
    const evaluation = evaluateSubject(policy, subject, last, now);
    if (evaluation.status === stored.status) return { evaluation, transition: null };
    const to = evaluation.status;
    const transition: FreshnessTransition = {
      assetKey,
      partitionKey: subject.partitionKey,
      from: stored.status,
      to,
      since: evaluation.since ?? now,
      policy: describeFreshnessPolicy(policy),
      missedDeadline:
        to === 'late' ? evaluation.missedDeadline : stored.status === 'late' ? stored.missedDeadline : null,
      nextDeadline: evaluation.nextDeadline,
      lagMs: evaluation.lagMs,
      lastMaterializedAt: last,
    };
    await manager.query(
      `UPDATE freshness_states
          SET status = $3, since = $4, last_materialized_at = $5, missed_deadline = $6, lag_ms = $7,
              last_breach_at = CASE WHEN $3 = 'late' THEN $4 ELSE last_breach_at END, updated_at = $8
        WHERE asset_key = $1 AND partition_key = $2`,
      [
        assetKey,
        subject.partitionKey,
        to,
        transition.since,
        last,
        to === 'late' ? transition.missedDeadline : stored.missedDeadline,
        transition.lagMs,
        now,
      ],
    );
    await appendEvents(manager, [
      {
        type: `freshness.${to}`,
        level: to === 'fresh' ? 'info' : 'warn',
        assetKey,
        message: transitionMessage(transition),
        data: {
          partitionKey: subject.partitionKey,
          from: transition.from,
          to,
          since: transition.since.toISOString(),
          policy: transition.policy,
          missedDeadline: iso(transition.missedDeadline),
          nextDeadline: iso(transition.nextDeadline),
          lagMs: transition.lagMs,
          lastMaterializedAt: iso(last),
        },
      },
    ]);
    return { evaluation, transition };
  });
}

/** One line for the event log and the logs: what changed, against which deadline, with what lag. */
export function transitionMessage(transition: FreshnessTransition): string {
  const lag =
    transition.lagMs === null ? 'never materialized' : `last materialized ${formatDuration(transition.lagMs)} ago`;
  if (transition.to === 'late') {
    const missed = transition.missedDeadline ? `missed the deadline ${iso(transition.missedDeadline)}` : 'overdue';
    return `late: ${missed} (${transition.policy}); ${lag}`;
  }
  if (transition.to === 'warning') {
    return `warning: due by ${iso(transition.nextDeadline) ?? '?'} (${transition.policy}); ${lag}`;
  }
  const after =
    transition.missedDeadline && transition.lastMaterializedAt
      ? `, ${formatDuration(Math.max(0, transition.lastMaterializedAt.getTime() - transition.missedDeadline.getTime()))} after the missed deadline ${iso(transition.missedDeadline)}`
      : '';
  return `fresh again (was ${transition.from}): materialized at ${iso(transition.lastMaterializedAt) ?? '?'}${after}`;
}

function toStored(row: StateRow): StoredFreshness {
  return {
    assetKey: row.asset_key,
    partitionKey: row.partition_key,
    status: row.status,
    since: new Date(row.since),
    lastMaterializedAt: dateOrNull(row.last_materialized_at),
    missedDeadline: dateOrNull(row.missed_deadline),
    lagMs: row.lag_ms === null ? null : Number(row.lag_ms),
    lastBreachAt: dateOrNull(row.last_breach_at),
  };
}

function dateOrNull(value: Date | string | null): Date | null {
  return value === null ? null : new Date(value);
}

function iso(date: Date | null): string | null {
  return date ? date.toISOString() : null;
}
