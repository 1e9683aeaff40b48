import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { VerifyingStream } from '../io/hashing-stream.js';
import type { ObjectStore } from '../io/object-store.port.js';
import type { PayloadRef } from '../sdk/payload-ref.js';
import type { TableHandle, TableRow } from '../sdk/table.js';
import type { TableMetadata } from '../sdk/table-metadata.js';
import { queryArrow } from './arrow-result.js';
import { queryRows, sqlString, withConnection } from './duckdb-session.js';
import { describeColumns } from './table-schema.js';
import type { TableScratch } from './table-scratch.js';

const DEFAULT_ROWS_LIMIT = 100_000;

/** A stored table as the isolate finds it: its file and what was recorded about it. */
export interface StoredTable {
  readonly ref: PayloadRef;
  readonly metadata: TableMetadata | undefined;
}

/**
 * Where DuckDB reads a stored table: the file itself for the filesystem store (in place);
 * for another store the object is streamed, verified, to a scratch file (DuckDB's httpfs
 * extension is not bundled with @duckdb/node-api and may not be downloadable, so Weir does not
 * depend on it). Rows never pass through JS either way.
 */
async function localPath(ref: PayloadRef, store: ObjectStore, scratch: TableScratch): Promise<string> {
  if (ref.uri.startsWith('file:')) return fileURLToPath(ref.uri);
  const path = await scratch.path('.parquet');
  await pipeline(await store.open(ref), new VerifyingStream(ref), createWriteStream(path));
  return path;
}

/** A handle on one stored table (one partition, or an unpartitioned asset). */
export async function openTable(
  asset: string,
  stored: StoredTable,
  store: ObjectStore,
  scratch: TableScratch,
): Promise<TableHandle> {
  return handle(asset, [stored.ref.uri], [await localPath(stored.ref, store, scratch)], stored.metadata, undefined);
}

/** One handle on many partitions of a table, read as their union (by column name). */
export async function openPartitionedTable(
  asset: string,
  partitions: ReadonlyArray<readonly [string, StoredTable]>,
  store: ObjectStore,
  scratch: TableScratch,
): Promise<TableHandle> {
  const byPartition: Record<string, TableHandle> = {};
  const paths: string[] = [];
  for (const [key, stored] of partitions) {
    const opened = await openTable(asset, stored, store, scratch);
    byPartition[key] = opened;
    paths.push(...pathsOf.get(opened)!);
  }
  return handle(
    asset,
    partitions.map(([, stored]) => stored.ref.uri),
    paths,
    undefined,
    Object.freeze(byPartition),
  );
}

const pathsOf = new WeakMap<TableHandle, readonly string[]>();

/** The local files DuckDB reads for `handle` (what its `toString()` names). */
export function localPathsOf(handle: TableHandle): readonly string[] {
  return pathsOf.get(handle) ?? [];
}

function tooManyRows(asset: string, limit: number, method: string): Error {
  return new Error(
    `table '${asset}' has more than ${limit} rows: query it with SQL (\`\${table}\`) or pass a larger limit to ${method}()`,
  );
}

function handle(
  asset: string,
  uris: readonly string[],
  paths: readonly string[],
  metadata: TableMetadata | undefined,
  partitions: Readonly<Record<string, TableHandle>> | undefined,
): TableHandle {
  const relation =
    paths.length === 0
      ? // No partition materialized yet: an empty relation, so that aggregates still run.
        '(SELECT NULL WHERE false)'
      : `read_parquet([${paths.map(sqlString).join(', ')}], union_by_name = true)`;
  const query = <R extends object = TableRow>(sql: string): Promise<R[]> =>
    withConnection((connection) =>
      queryRows(connection, sql).then(
        (rows) => rows as R[],
        (error: unknown) => {
          throw new Error(`query on table '${asset}' failed: ${(error as Error).message}`, { cause: error });
        },
      ),
    );
  const opened: TableHandle = Object.freeze({
    kind: 'table-handle' as const,
    asset,
    uris,
    metadata,
    partitions,
    toString: () => relation,
    columns: () => withConnection((connection) => describeColumns(connection, relation)),
    query,
    async rows<R extends object = TableRow>(limit = DEFAULT_ROWS_LIMIT) {
      const rows = await query<R>(`SELECT * FROM ${relation} LIMIT ${limit + 1}`);
      if (rows.length > limit) throw tooManyRows(asset, limit, 'rows');
      return rows;
    },
    async arrow(limit = DEFAULT_ROWS_LIMIT) {
      const result = await withConnection((connection) =>
        queryArrow(connection, `SELECT * FROM ${relation} LIMIT ${limit + 1}`, `table '${asset}'`),
      );
      if (result.numRows > limit) throw tooManyRows(asset, limit, 'arrow');
      return result;
    },
    col: (name: string) => Object.freeze({ asset, column: name }),
  });
  pathsOf.set(opened, paths);
  return opened;
}
