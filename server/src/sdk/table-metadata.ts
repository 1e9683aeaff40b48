/**
 * What Weir records about every table an asset materializes (stored with the materialization
 * in `materializations.table_metadata`, returned by GraphQL, drawn on the asset page).
 */
export interface TableMetadata {
  readonly rowCount: number;
  /** Size of the stored Parquet file(s) in bytes. */
  readonly bytes: number;
  readonly columns: readonly TableColumn[];
  /** SHA-256 of the column names, types and nullability, in order: equal hashes, same schema. */
  readonly schemaHash: string;
  /** How the schema differs from the previous materialization's; null for the first one or none. */
  readonly schemaChange: SchemaChange | null;
  /** Upstream columns each output column is computed from (declared, or derived from a DuckDB query). */
  readonly columnLineage?: Readonly<Record<string, readonly ColumnRef[]>>;
}

/** One column of a table: its name, its DuckDB type (e.g. `BIGINT`, `VARCHAR`) and nullability. */
export interface TableColumn {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
}

/** A schema change between two materializations of the same asset (and partition). */
export interface SchemaChange {
  readonly added: readonly TableColumn[];
  readonly removed: readonly TableColumn[];
  readonly typeChanged: ReadonlyArray<{ readonly name: string; readonly from: string; readonly to: string }>;
}

/** A column of an upstream asset. */
export interface ColumnRef {
  readonly asset: string;
  readonly column: string;
}
