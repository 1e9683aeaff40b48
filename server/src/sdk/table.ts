import type { Table as ArrowTable } from 'apache-arrow';
import type { ColumnRef, TableMetadata } from './table-metadata.js';

/** A DuckDB type name for a declared column, e.g. `'BIGINT'`, `'DOUBLE'`, `'VARCHAR'`, `'DATE'`. */
export type ColumnType = string;

/** Columns of a table built from rows, in order: `{ id: 'BIGINT', name: 'VARCHAR' }`. */
export type TableSchema = Readonly<Record<string, ColumnType>>;

/**
 * A table an asset returns from `materialize`; Weir has DuckDB write it as Parquet to the
 * object store (`COPY … TO … (FORMAT parquet)`: rows never pass through JS objects) and records
 * its row count, size and schema with the materialization. Made by {@link table}.
 */
export type TableOutput = QueryTableOutput | RowsTableOutput | ArrowTableOutput;

/** A table computed by a DuckDB query. */
export interface QueryTableOutput {
  readonly kind: 'table';
  readonly source: 'query';
  readonly sql: string;
}

/** A small table given as rows with a declared schema. */
export interface RowsTableOutput {
  readonly kind: 'table';
  readonly source: 'rows';
  readonly schema: TableSchema;
  readonly rows: ReadonlyArray<Readonly<Record<string, unknown>>>;
}

/**
 * The part of an Apache Arrow JS `Table` (the `apache-arrow` package) Weir reads: its schema and
 * its record batches. Typed structurally, so the SDK does not tie an asset to one copy of
 * `apache-arrow`.
 */
export interface ArrowTableLike {
  readonly numRows: number;
  readonly schema: {
    readonly fields: ReadonlyArray<{ readonly name: string; readonly nullable: boolean; readonly type: ArrowTypeLike }>;
  };
  readonly batches: ReadonlyArray<{
    readonly numRows: number;
    getChildAt(index: number): { get(index: number): unknown; readonly length: number } | null;
  }>;
}

/** An Arrow data type as Arrow JS describes it (`typeId` is Arrow's `Type` enum). */
export interface ArrowTypeLike {
  readonly typeId: number;
  readonly bitWidth?: number;
  readonly isSigned?: boolean;
  readonly precision?: number;
  readonly unit?: number;
  readonly timezone?: string | null;
  toString(): string;
}

/** A table given as an Arrow table, which Weir appends to DuckDB column by column. */
export interface ArrowTableOutput {
  readonly kind: 'table';
  readonly source: 'arrow';
  readonly arrow: ArrowTableLike;
}

/**
 * A table row as {@link TableHandle.rows} returns it: BIGINTs within ±2^53 become numbers (in
 * lists and structs too), TIMESTAMPs and DATEs `Date`s, LISTs arrays and STRUCTs objects.
 */
export type TableRow = Record<string, unknown>;

/**
 * What a downstream asset (and a check) receives for an upstream table: a handle DuckDB
 * queries in place, on the Parquet file(s) in the object store. It renders as a
 * `read_parquet(…)` table function, so it can be interpolated into SQL.
 *
 * @example
 * ```ts
 * materialize: async (_ctx, { orders }) =>
 *   table.fromQuery(`SELECT customer, sum(amount) AS revenue FROM ${orders} GROUP BY customer`)
 * ```
 */
export interface TableHandle {
  readonly kind: 'table-handle';
  /** Key of the asset the table belongs to. */
  readonly asset: string;
  /** The Parquet files' URIs (one per partition when several partitions are read as one table). */
  readonly uris: readonly string[];
  /** What was recorded about the table when it was materialized (absent for older materializations). */
  readonly metadata: TableMetadata | undefined;
  /**
   * The partitions, each as its own handle, when this handle is the union of a partitioned
   * upstream's partitions (an unpartitioned asset reading a partitioned table); else undefined.
   */
  readonly partitions: Readonly<Record<string, TableHandle>> | undefined;
  /** `read_parquet([...], union_by_name = true)`: the table as a DuckDB table function. */
  toString(): string;
  /** The table's columns as DuckDB reads them from the file(s). */
  columns(): Promise<ReadonlyArray<{ name: string; type: string; nullable: boolean }>>;
  /**
   * Runs `sql` in DuckDB and returns its rows; use `${handle}` (or this handle's
   * {@link TableHandle.toString}) inside it to read the table. Keep results small: aggregate in SQL.
   * `R` names the row shape the query selects (not checked: the SQL decides the columns).
   */
  query<R extends object = TableRow>(sql: string): Promise<R[]>;
  /**
   * The whole table as rows, for small tables.
   * @throws Error naming the asset when it has more than `limit` rows (default 100 000).
   */
  rows<R extends object = TableRow>(limit?: number): Promise<R[]>;
  /**
   * The whole table as an Apache Arrow JS `Table` (from `apache-arrow`), for small tables.
   * BIGINTs are Int64 (bigint values), DATEs DateDay, TIMESTAMPs TimestampMicrosecond.
   * @throws Error naming the asset when it has more than `limit` rows (default 100 000), or naming
   *   the column when its DuckDB type has no Arrow counterpart here (cast it in a query).
   */
  arrow(limit?: number): Promise<ArrowTable>;
  /** A reference to one of its columns, for `columnLineage`. */
  col(name: string): ColumnRef;
}

/** True when `value` is a {@link TableOutput}. */
export function isTableOutput(value: unknown): value is TableOutput {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'table';
}

/** True when `value` is a {@link TableHandle}. */
export function isTableHandle(value: unknown): value is TableHandle {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'table-handle';
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Builders of table outputs: return one from `materialize`. */
export const table = Object.freeze({
  /**
   * A table computed by a DuckDB query, which DuckDB writes to Parquet itself. Interpolate
   * upstream tables (`${orders}`) to read them in place.
   * @example `table.fromQuery(\`SELECT range AS id, random() AS amount FROM range(1000000)\`)`
   */
  fromQuery(sql: string): QueryTableOutput {
    if (typeof sql !== 'string' || sql.trim() === '') {
      throw new TypeError('table.fromQuery needs a non-empty SQL query');
    }
    return Object.freeze({ kind: 'table' as const, source: 'query' as const, sql });
  },
  /**
   * A small table from rows and a declared schema (column name → DuckDB type). Rows go to
   * DuckDB as JSON, are cast to the declared types, and are written as Parquet.
   * @throws TypeError naming the column when a column name or type is invalid, or a row has a
   *   field the schema does not declare.
   */
  fromRows(schema: TableSchema, rows: ReadonlyArray<Readonly<Record<string, unknown>>>): RowsTableOutput {
    const names = Object.keys(schema);
    if (names.length === 0) throw new TypeError('table.fromRows needs a schema with at least one column');
    for (const name of names) {
      if (!IDENTIFIER.test(name)) {
        throw new TypeError(`table.fromRows: column '${name}' must be a plain identifier (letters, digits, _)`);
      }
      if (typeof schema[name] !== 'string' || !/^[A-Za-z][A-Za-z0-9_ (),]*$/.test(schema[name]!)) {
        throw new TypeError(`table.fromRows: column '${name}' has an invalid type ${JSON.stringify(schema[name])}`);
      }
    }
    const declared = new Set(names);
    rows.forEach((row, index) => {
      for (const field of Object.keys(row)) {
        if (!declared.has(field)) {
          throw new TypeError(`table.fromRows: row ${index} has column '${field}', which the schema does not declare`);
        }
      }
    });
    return Object.freeze({ kind: 'table' as const, source: 'rows' as const, schema: { ...schema }, rows });
  },
  /**
   * A table given as an Apache Arrow JS `Table` (`apache-arrow`'s `tableFromArrays`,
   * `tableFromIPC`, …). Weir appends its record batches to DuckDB (no JSON) and DuckDB writes the
   * Parquet file. Columns of type Bool, Int*, Uint*, Float*, Utf8, Binary, Date and Timestamp are
   * supported; for tables too large for memory, return {@link table.fromQuery} instead.
   * @throws TypeError when `arrow` is not an Arrow table.
   */
  fromArrow(arrow: ArrowTableLike): ArrowTableOutput {
    const fields = (arrow as { schema?: { fields?: unknown } } | null)?.schema?.fields;
    if (!Array.isArray(fields) || !Array.isArray((arrow as { batches?: unknown }).batches)) {
      throw new TypeError('table.fromArrow needs an Apache Arrow Table (with schema.fields and batches)');
    }
    if (fields.length === 0) throw new TypeError('table.fromArrow needs a table with at least one column');
    return Object.freeze({ kind: 'table' as const, source: 'arrow' as const, arrow });
  },
});

/**
 * A column of an upstream asset, for `columnLineage`: `column(orders, 'amount')` or
 * `column('bronze/orders', 'amount')`.
 */
export function column(upstream: string | { readonly key: string }, name: string): ColumnRef {
  return Object.freeze({ asset: typeof upstream === 'string' ? upstream : upstream.key, column: name });
}
