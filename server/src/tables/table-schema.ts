import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SchemaChange, TableColumn } from '../sdk/table-metadata.js';
import { queryRows } from './duckdb-session.js';

/** The columns of `relation` (a table function such as `read_parquet('…')`) as DuckDB describes them. */
export async function describeColumns(connection: DuckDBConnection, relation: string): Promise<TableColumn[]> {
  const rows = await queryRows(connection, `DESCRIBE SELECT * FROM ${relation}`);
  return rows.map((row) => ({
    name: String(row.column_name),
    type: String(row.column_type),
    nullable: row.null !== 'NO',
  }));
}

/** SHA-256 over the columns' names, types and nullability, in order. */
export function schemaHash(columns: readonly TableColumn[]): string {
  const canonical = JSON.stringify(columns.map((c) => [c.name, c.type, c.nullable]));
  return createHash('sha256').update(canonical).digest('hex');
}

/** How `current` differs from `previous`; null when there is no previous schema or no difference. */
export function schemaChange(
  previous: readonly TableColumn[] | undefined,
  current: readonly TableColumn[],
): SchemaChange | null {
  if (!previous) return null;
  const before = new Map(previous.map((c) => [c.name, c]));
  const after = new Map(current.map((c) => [c.name, c]));
  const added = current.filter((c) => !before.has(c.name));
  const removed = previous.filter((c) => !after.has(c.name));
  const typeChanged = current.flatMap((c) => {
    const old = before.get(c.name);
    return old && old.type !== c.type ? [{ name: c.name, from: old.type, to: c.type }] : [];
  });
  if (added.length === 0 && removed.length === 0 && typeChanged.length === 0) return null;
  return { added, removed, typeChanged };
}
