import type { DataSource } from 'typeorm';

/**
 * The asset's entry of its run's stored config, read for every attempt: retries and a worker
 * other than the planner's get exactly what the run was launched with.
 */
export async function loadStepConfig(dataSource: DataSource, runId: string, assetKey: string): Promise<unknown> {
  const rows: Array<{ entry: unknown }> = await dataSource.query(
    `SELECT config -> $2 AS entry FROM runs WHERE id = $1`,
    [runId, assetKey],
  );
  return rows[0]?.entry ?? undefined;
}
