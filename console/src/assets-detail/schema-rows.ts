/**
 * A table's schema as the asset page lists it: its columns in order, each marked with how it
 * changed since the previous materialization, and the columns it lost (listed last: their old
 * position is not recorded). Pure, so the diff presentation is tested without a DOM.
 */
import type { SchemaChange, TableColumn, TableMetadata } from './asset-detail-queries';

export type ColumnChange = 'unchanged' | 'added' | 'removed' | 'retyped';

export interface SchemaRow {
  name: string;
  type: string;
  nullable: boolean;
  change: ColumnChange;
  /** The type before a change of type (e.g. `INTEGER` for `INTEGER → BIGINT`), else null. */
  previousType: string | null;
}

export function schemaRows(table: Pick<TableMetadata, 'columns' | 'schemaChange'>): SchemaRow[] {
  const change = table.schemaChange;
  const added = new Set(change?.added.map((column) => column.name));
  const retyped = new Map(change?.typeChanged.map((typeChange) => [typeChange.name, typeChange.from]));
  const present = new Set(table.columns.map((column) => column.name));
  const rows = table.columns.map((column: TableColumn): SchemaRow => {
    const previousType = retyped.get(column.name) ?? null;
    return {
      ...column,
      change: added.has(column.name) ? 'added' : previousType !== null ? 'retyped' : 'unchanged',
      previousType,
    };
  });
  // Listed once even if a change ever named a column both removed and present.
  const removed = (change?.removed ?? []).filter((column) => !present.has(column.name));
  return [...rows, ...removed.map((column): SchemaRow => ({ ...column, change: 'removed', previousType: null }))];
}

/** "1 column added, 1 removed, 1 changed type" — or null when nothing changed. */
export function describeSchemaChange(change: SchemaChange | null): string | null {
  if (!change) return null;
  const parts: string[] = [];
  const count = (n: number, what: string) => `${n} ${n === 1 ? 'column' : 'columns'} ${what}`;
  if (change.added.length > 0) parts.push(count(change.added.length, 'added'));
  if (change.removed.length > 0) parts.push(count(change.removed.length, 'removed'));
  if (change.typeChanged.length > 0) parts.push(count(change.typeChanged.length, 'changed type'));
  return parts.length > 0 ? `${parts.join(', ')} since the previous materialization` : null;
}
