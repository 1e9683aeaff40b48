import type { DuckDBConnection } from '@duckdb/node-api';
import type { DataType, Table, Vector } from 'apache-arrow';

type Arrow = typeof import('apache-arrow');

/** The Arrow type for a DuckDB column type, or undefined when Weir has none for it. */
function arrowType(arrow: Arrow, duckdbType: string): DataType | undefined {
  const types: Record<string, () => DataType> = {
    BOOLEAN: () => new arrow.Bool(),
    TINYINT: () => new arrow.Int8(),
    SMALLINT: () => new arrow.Int16(),
    INTEGER: () => new arrow.Int32(),
    BIGINT: () => new arrow.Int64(),
    UTINYINT: () => new arrow.Uint8(),
    USMALLINT: () => new arrow.Uint16(),
    UINTEGER: () => new arrow.Uint32(),
    UBIGINT: () => new arrow.Uint64(),
    FLOAT: () => new arrow.Float32(),
    DOUBLE: () => new arrow.Float64(),
    VARCHAR: () => new arrow.Utf8(),
    BLOB: () => new arrow.Binary(),
    DATE: () => new arrow.DateDay(),
    TIMESTAMP: () => new arrow.TimestampMicrosecond(),
    'TIMESTAMP WITH TIME ZONE': () => new arrow.TimestampMicrosecond('UTC'),
  };
  return types[duckdbType]?.();
}

/** A DuckDB JS value as Arrow JS's builders take it for `type`. */
function arrowValue(value: unknown, duckdbType: string): unknown {
  if (value === null || value === undefined) return null;
  // Arrow JS builds timestamps from epoch milliseconds; DuckDB gives dates and timestamps as Dates.
  if (duckdbType.startsWith('TIMESTAMP') && value instanceof Date) return value.getTime();
  return value;
}

/**
 * Runs `sql` and returns its result as an Apache Arrow JS table (apache-arrow is imported only
 * here, when a step asks for Arrow).
 * @throws Error naming the column (and `what`) when its DuckDB type has no Arrow counterpart here.
 */
export async function queryArrow(connection: DuckDBConnection, sql: string, what: string): Promise<Table> {
  const arrow = await import('apache-arrow');
  const reader = await connection.runAndReadAll(sql);
  const names = reader.columnNames();
  const duckdbTypes = reader.columnTypes().map(String);
  const columns = reader.getColumnsJS();
  const vectors: Record<string, Vector> = {};
  names.forEach((name, index) => {
    const duckdbType = duckdbTypes[index]!;
    const type = arrowType(arrow, duckdbType);
    if (type === undefined) {
      throw new Error(
        `${what}: column '${name}' has DuckDB type ${duckdbType}, which has no Arrow type here; cast it in a query`,
      );
    }
    const values = (columns[index] ?? []).map((value) => arrowValue(value, duckdbType));
    vectors[name] = arrow.vectorFromArray(values, type) as Vector;
  });
  return new arrow.Table(vectors);
}
