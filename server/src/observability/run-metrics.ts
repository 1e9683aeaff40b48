import type { EntityManager } from 'typeorm';
import type { RunStatus } from '../storage/entities/run.entity.js';
import type { ScalarFamily } from './metric-families.js';

/** Every run status, so that each has a series even at zero. */
const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'canceling', 'succeeded', 'failed', 'canceled'];

/** `weir_runs{status}`: every run recorded, by its status now (one grouped query). */
export async function runsByStatus(manager: EntityManager): Promise<ScalarFamily> {
  const rows: Array<{ status: string; n: number | string }> = await manager.query(
    `SELECT status, count(*) AS n FROM runs GROUP BY status`,
  );
  const counts = new Map<string, number>(RUN_STATUSES.map((status) => [status, 0]));
  for (const row of rows) counts.set(row.status, Number(row.n));
  return {
    name: 'weir_runs',
    help: 'Runs recorded in the metadata database, by current status (all time).',
    type: 'gauge',
    samples: [...counts].map(([status, value]) => ({ labels: { status }, value })),
  };
}
