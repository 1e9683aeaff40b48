import { randomUUID } from 'node:crypto';
import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import type { ArrowTableOutput, ArrowTypeLike } from '../sdk/table.js';

/** Arrow's `Type` enum values Weir maps (apache-arrow `enum Type`). */
const ARROW = { Int: 2, Float: 3, Binary: 4, Utf8: 5, Bool: 6, Date: 8, Timestamp: 10, LargeBinary: 19, LargeUtf8: 20 };

/** DuckDB's data chunks hold at most this many rows (its vector size). */
const CHUNK_ROWS = 2048;

/** How one Arrow column is staged in DuckDB and cast back to its type when written. */
interface StagedColumn {
  readonly name: string;
  /** The staging column's DuckDB type, as SQL. */
  readonly staged: string;
  /** The staged value as the final column, given the quoted staging column. */
  readonly cast: (column: string) => string;
  /** An Arrow value as the appender takes it (null stays null). */
  readonly convert: (value: unknown) => unknown;
}

const keep = (value: unknown): unknown => value;
const same = (column: string): string => column;

/** Epoch milliseconds of a date or timestamp as Arrow JS returns it (number, bigint or Date). */
function epochMillis(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  return Number(value);
}

function integerColumn(name: string, type: ArrowTypeLike): StagedColumn {
  const width = type.bitWidth ?? 32;
  const signed = type.isSigned !== false;
  const names: Record<number, string> = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' };
  const staged = `${signed ? '' : 'U'}${names[width] ?? 'BIGINT'}`;
  // Int64 values come out of Arrow JS as bigints already; narrower ones as numbers.
  const convert =
    width === 64 ? (value: unknown) => (typeof value === 'bigint' ? value : BigInt(value as number)) : keep;
  return { name, staged, cast: same, convert };
}

/**
 * How an Arrow field is staged. Dates and timestamps are staged as plain numbers (days, epoch
 * milliseconds) and cast in SQL: the appender then needs no DuckDB value objects.
 * @throws TypeError naming the column when its Arrow type has no mapping here.
 */
function stagedColumn(assetKey: string, name: string, type: ArrowTypeLike): StagedColumn {
  switch (type.typeId) {
    case ARROW.Int:
      return integerColumn(name, type);
    case ARROW.Float:
      return { name, staged: type.precision === 2 ? 'DOUBLE' : 'FLOAT', cast: same, convert: keep };
    case ARROW.Bool:
      return { name, staged: 'BOOLEAN', cast: same, convert: keep };
    case ARROW.Utf8:
    case ARROW.LargeUtf8:
      return { name, staged: 'VARCHAR', cast: same, convert: keep };
    case ARROW.Binary:
    case ARROW.LargeBinary:
      return { name, staged: 'BLOB', cast: same, convert: keep };
    case ARROW.Date:
      return {
        name,
        staged: 'INTEGER',
        cast: (column) => `CAST(DATE '1970-01-01' + ${column} AS DATE)`,
        convert: (value) => Math.floor(epochMillis(value) / 86_400_000),
      };
    case ARROW.Timestamp:
      return {
        name,
        staged: 'BIGINT',
        // Microseconds since the epoch; a zoned Arrow timestamp is an instant, as TIMESTAMPTZ is.
        cast: (column) =>
          type.timezone ? `CAST(make_timestamp(${column}) AS TIMESTAMPTZ)` : `make_timestamp(${column})`,
        convert: (value) => BigInt(Math.round(epochMillis(value) * 1000)),
      };
    default:
      throw new TypeError(
        `asset '${assetKey}': Arrow column '${name}' has type ${String(type)}, which Weir cannot store yet ` +
          '(supported: Bool, Int*, Uint*, Float*, Utf8, Binary, Date, Timestamp); cast it or use table.fromQuery',
      );
  }
}

/** `name` as a DuckDB identifier. */
function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Appends the Arrow table's record batches to a table of `connection`'s (one data chunk per
 * 2,048 rows) and returns the query that reads it with the Arrow types restored, for the
 * caller's `COPY … TO … (FORMAT parquet)`. The staging table lives in DuckDB's memory (and
 * spills to its temp directory); `dropStaging` removes it.
 * @throws TypeError naming the column when a type has no mapping or a value does not fit it.
 */
export async function stageArrow(
  connection: DuckDBConnection,
  output: ArrowTableOutput,
  assetKey: string,
): Promise<{ select: string; dropStaging: () => Promise<void> }> {
  const columns = output.arrow.schema.fields.map((field) => stagedColumn(assetKey, field.name, field.type));
  const table = `weir_arrow_${randomUUID().replaceAll('-', '')}`;
  await connection.run(`CREATE TABLE ${table} (${columns.map((c) => `${quoted(c.name)} ${c.staged}`).join(', ')})`);
  const dropStaging = () => connection.run(`DROP TABLE IF EXISTS ${table}`).then(() => undefined);
  try {
    const appender = await connection.createAppender(table);
    const types: DuckDBType[] = columns.map((_, index) => appender.columnType(index));
    const { DuckDBDataChunk } = await import('@duckdb/node-api');
    for (const batch of output.arrow.batches) {
      for (let start = 0; start < batch.numRows; start += CHUNK_ROWS) {
        const count = Math.min(CHUNK_ROWS, batch.numRows - start);
        const chunk = DuckDBDataChunk.create(types, count);
        chunk.setColumns(columns.map((column, index) => columnSlice(assetKey, batch, index, column, start, count)));
        appender.appendDataChunk(chunk);
      }
    }
    appender.flushSync();
    appender.closeSync();
  } catch (error) {
    await dropStaging();
    throw error;
  }
  const select = `SELECT ${columns.map((c) => `${c.cast(quoted(c.name))} AS ${quoted(c.name)}`).join(', ')} FROM ${table}`;
  return { select, dropStaging };
}

function columnSlice(
  assetKey: string,
  batch: ArrowTableOutput['arrow']['batches'][number],
  index: number,
  column: StagedColumn,
  start: number,
  count: number,
): never[] {
  const vector = batch.getChildAt(index);
  if (vector === null) throw new TypeError(`asset '${assetKey}': Arrow column '${column.name}' has no data`);
  const values = new Array<unknown>(count);
  for (let row = 0; row < count; row++) {
    const value = vector.get(start + row);
    values[row] = value === null || value === undefined ? null : column.convert(value);
  }
  // The appender checks each value against the column's DuckDB type.
  return values as never[];
}
