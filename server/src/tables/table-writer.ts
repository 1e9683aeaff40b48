import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { EncodedOutput } from '../io/payload-codec.js';
import { joinObjectKey } from '../io/object-key.js';
import type { ObjectStore } from '../io/object-store.port.js';
import type { RowsTableOutput, TableOutput } from '../sdk/table.js';
import type { TableColumn, TableMetadata } from '../sdk/table-metadata.js';
import { stageArrow } from './arrow-staging.js';
import { queryRows, sqlString, withConnection } from './duckdb-session.js';
import { describeColumns, schemaChange, schemaHash } from './table-schema.js';
import type { TableScratch } from './table-scratch.js';

/** Name of a table output inside the attempt's key prefix. */
export const OUTPUT_PARQUET_NAME = 'output.parquet';
/** Content type of stored tables. */
export const PARQUET_CONTENT_TYPE = 'application/vnd.apache.parquet';

/** An output stored as a table, with what Weir records about it. */
export interface EncodedTable extends EncodedOutput {
  readonly valueType: 'table';
  readonly table: TableMetadata;
}

/** Where and for whom {@link encodeTable} stores a table. */
export interface EncodeTableOptions {
  readonly store: ObjectStore;
  readonly keyPrefix: string;
  readonly assetKey: string;
  readonly scratch: TableScratch;
  /** The columns of the previous materialization of the same asset and partition, if any. */
  readonly previousColumns: readonly TableColumn[] | undefined;
}

/**
 * Has DuckDB write the table as Parquet to a scratch file (`COPY … TO`, nothing re-encoded in
 * JS; an Arrow table is first appended to DuckDB batch by batch), reads its row count and schema from the file, then streams the file to the store (size
 * and SHA-256 computed while streaming, as for every payload).
 * @throws Error naming the asset when the query (or the rows' conversion) fails in DuckDB.
 */
export async function encodeTable(output: TableOutput, options: EncodeTableOptions): Promise<EncodedTable> {
  const { store, keyPrefix, assetKey, scratch } = options;
  const file = await scratch.path('.parquet');
  const { rowCount, columns } = await withConnection(async (connection) => {
    const staged = output.source === 'arrow' ? await stageArrow(connection, output, assetKey) : undefined;
    const select =
      output.source === 'arrow'
        ? staged!.select
        : output.source === 'query'
          ? output.sql
          : await rowsQuery(output, scratch);
    try {
      await connection.run(`COPY (${select}) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd)`);
    } catch (error) {
      throw new Error(`asset '${assetKey}': DuckDB could not write its table: ${(error as Error).message}`, {
        cause: error,
      });
    } finally {
      await staged?.dropStaging();
    }
    const relation = `read_parquet(${sqlString(file)})`;
    const [counted] = await queryRows(connection, `SELECT count(*) AS n FROM ${relation}`);
    return { rowCount: Number(counted!.n), columns: await describeColumns(connection, relation) };
  });
  const ref = await store.put(joinObjectKey(keyPrefix, OUTPUT_PARQUET_NAME), createReadStream(file), {
    contentType: PARQUET_CONTENT_TYPE,
  });
  const table: TableMetadata = {
    rowCount,
    bytes: ref.size,
    columns,
    schemaHash: schemaHash(columns),
    schemaChange: schemaChange(options.previousColumns, columns),
  };
  return { valueType: 'table', inline: null, ref, size: ref.size, dataVersion: ref.sha256, table };
}

/** A query reading the rows, written as newline-delimited JSON to scratch, cast to their declared types. */
async function rowsQuery(output: RowsTableOutput, scratch: TableScratch): Promise<string> {
  const names = Object.keys(output.schema);
  const casts = names.map((name) => `CAST(NULL AS ${output.schema[name]}) AS "${name}"`).join(', ');
  if (output.rows.length === 0) return `SELECT ${casts} WHERE false`;
  const json = await scratch.path('.ndjson');
  const sink = createWriteStream(json);
  for (const row of output.rows) {
    const line = JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    if (!sink.write(`${line}\n`)) await once(sink, 'drain');
  }
  sink.end();
  await finished(sink);
  const columns = names.map((name) => `${sqlString(name)}: ${sqlString(output.schema[name]!)}`).join(', ');
  const selected = names.map((name) => `"${name}"`).join(', ');
  return `SELECT ${selected} FROM read_json(${sqlString(json)}, format = 'newline_delimited', columns = {${columns}})`;
}
