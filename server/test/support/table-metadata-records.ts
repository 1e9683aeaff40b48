import type { TableMetadata } from '../../src/sdk/table-metadata.js';

/** Anything that runs SQL with positional parameters: a TypeORM DataSource or a pg Client. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * Writes `materializations.table_metadata` on one materialization row, as the engine does for
 * every table it materializes: the API and console tests record it on ordinary materializations
 * made by the real engine, so they do not depend on how tables are produced.
 */
export async function recordTableMetadata(
  db: SqlRunner,
  materializationId: string,
  metadata: TableMetadata,
): Promise<void> {
  await db.query(`UPDATE materializations SET table_metadata = $2::jsonb WHERE id = $1`, [
    materializationId,
    JSON.stringify(metadata),
  ]);
}

/** The ids of an asset's materializations (of one partition when given), oldest first. */
export async function materializationIdsOf(db: SqlRunner, assetKey: string, partition?: string): Promise<string[]> {
  const rows = (await db.query(
    `SELECT id FROM materializations WHERE asset_key = $1 AND ($2::text IS NULL OR partition_key = $2)
      ORDER BY created_at, id`,
    [assetKey, partition ?? null],
  )) as Array<{ id: string }> | { rows: Array<{ id: string }> };
  // TypeORM answers the rows, pg a result holding them.
  return (Array.isArray(rows) ? rows : rows.rows).map((row) => row.id);
}
