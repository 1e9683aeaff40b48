import type { ColumnRef, TableColumn, TableMetadata } from '../../sdk/table-metadata.js';

/** A table materialization as the API returns it: lineage as a list (GraphQL has no maps). */
export interface TableView {
  readonly rowCount: number;
  readonly bytes: number;
  readonly schemaHash: string;
  readonly columns: readonly TableColumn[];
  readonly schemaChange: TableMetadata['schemaChange'];
  readonly columnLineage: ReadonlyArray<{ readonly column: string; readonly upstream: readonly ColumnRef[] }>;
}

/** One column-level lineage edge: an upstream asset's column → a column of the asset. */
export interface ColumnLineageEdge {
  readonly from: ColumnRef;
  readonly to: ColumnRef;
}

/**
 * `materializations.table_metadata` (jsonb, written by the engine) → the API's view; null when
 * the materialization is not a table. Lineage keeps the order the engine recorded.
 */
export function toTableView(raw: TableMetadata | null | undefined): TableView | null {
  if (!raw || typeof raw !== 'object') return null;
  return {
    rowCount: raw.rowCount,
    bytes: raw.bytes,
    schemaHash: raw.schemaHash,
    columns: raw.columns ?? [],
    schemaChange: raw.schemaChange ?? null,
    columnLineage: Object.entries(raw.columnLineage ?? {}).map(([column, upstream]) => ({ column, upstream })),
  };
}

/** The lineage of one table of `assetKey` as edges, one per (upstream column, own column) pair. */
export function columnLineageEdges(assetKey: string, table: TableView | null): ColumnLineageEdge[] {
  return (table?.columnLineage ?? []).flatMap(({ column, upstream }) =>
    upstream.map((from) => ({ from, to: { asset: assetKey, column } })),
  );
}
