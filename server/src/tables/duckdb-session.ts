import { tmpdir } from 'node:os';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/** Environment variables that bound DuckDB inside an isolate. */
export const DUCKDB_ENV = {
  /** DuckDB's memory limit, e.g. `'256MB'` (default); larger work spills to `temp_directory`. */
  memory: 'WEIR_DUCKDB_MEMORY',
  /** DuckDB's worker threads (default: DuckDB's own, the number of cores). */
  threads: 'WEIR_DUCKDB_THREADS',
} as const;

const DEFAULT_MEMORY = '256MB';

let instance: Promise<DuckDBInstance> | undefined;

/**
 * The isolate's DuckDB database (in memory, made on first use, shared by every step that runs
 * there): one instance per isolate keeps DuckDB's buffer pool bounded by one memory limit.
 * The native module is imported here only, so assets that never use tables never load it.
 */
function database(): Promise<DuckDBInstance> {
  instance ??= (async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const options: Record<string, string> = {
      memory_limit: process.env[DUCKDB_ENV.memory]?.trim() || DEFAULT_MEMORY,
      temp_directory: tmpdir(),
    };
    const threads = process.env[DUCKDB_ENV.threads]?.trim();
    if (threads) options.threads = threads;
    return DuckDBInstance.create(':memory:', options);
  })();
  instance.catch(() => (instance = undefined));
  return instance;
}

/**
 * A new connection to the isolate's DuckDB database, for an asset's own SQL (`CREATE TABLE`,
 * `ATTACH`, …). Close it with `closeSync()` when done; queries on one connection run one at a time.
 *
 * @example
 * ```ts
 * const db = await duckdb();
 * try { await db.run(`CREATE TEMP TABLE t AS SELECT * FROM ${orders}`); } finally { db.closeSync(); }
 * ```
 */
export async function duckdb(): Promise<DuckDBConnection> {
  return (await database()).connect();
}

/** Runs `work` on a connection of its own, closed afterwards. */
export async function withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const connection = await duckdb();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}

/** `value` as a DuckDB string literal. */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * A BIGINT or HUGEINT as a number when it is exact, else kept as a bigint; inside LISTs and
 * STRUCTs too, so that nested rows serialize as JSON like flat ones.
 */
export function jsValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
  }
  if (Array.isArray(value)) return value.map(jsValue);
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, jsValue(inner)]));
  }
  return value;
}

/** Runs `sql` and returns its rows as JS objects (see {@link jsValue}). */
export async function queryRows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader
    .getRowObjectsJS()
    .map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, jsValue(value)])));
}
