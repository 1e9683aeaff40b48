import type { EntityManager } from 'typeorm';
import type { Executor } from '../execution/executor.port.js';
import type { ScalarFamily } from './metric-families.js';

/** The step statuses that wait for the executor: handed over, or waiting for a retry's time. */
const WAITING_STEP_STATUSES = ['queued', 'retry_scheduled'] as const;

/** `weir_queue_depth{state}`: steps the database says wait to run (one grouped query on an index). */
export async function queueDepth(manager: EntityManager): Promise<ScalarFamily> {
  const rows: Array<{ status: string; n: number | string }> = await manager.query(
    `SELECT status, count(*) AS n FROM steps WHERE status = ANY($1::text[]) GROUP BY status`,
    [WAITING_STEP_STATUSES],
  );
  const counts = new Map<string, number>(WAITING_STEP_STATUSES.map((status) => [status, 0]));
  for (const row of rows) counts.set(row.status, Number(row.n));
  return {
    name: 'weir_queue_depth',
    help: 'Steps waiting to run, from the metadata database: queued (handed to the executor, not started) and retry_scheduled (waiting for their next attempt).',
    type: 'gauge',
    samples: [...counts].map(([state, value]) => ({ labels: { state }, value })),
  };
}

/**
 * `weir_executor_jobs{state}`: the jobs the executor itself holds (the in-process executor's
 * own, or the whole BullMQ queue), or nothing when it cannot tell or does not answer: a scrape
 * must not fail because the queue is down (`/readyz` says so).
 */
export async function executorJobs(executor: Executor): Promise<ScalarFamily | undefined> {
  if (!executor.jobCounts) return undefined;
  let counts;
  try {
    counts = await executor.jobCounts();
  } catch {
    return undefined;
  }
  return {
    name: 'weir_executor_jobs',
    help: "Jobs held by the executor's queue, by state (waiting, delayed, active); absent when the queue does not answer.",
    type: 'gauge',
    samples: (['waiting', 'delayed', 'active'] as const).map((state) => ({ labels: { state }, value: counts[state] })),
  };
}
