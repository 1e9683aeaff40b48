/**
 * Helpers shared by the benchmarks: where the PostgreSQL server is, scratch databases on it,
 * and a description of the machine. Benchmarks provision nothing: `.ci/provision.sh` does.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { redactUrl, withDatabase } from '../src/config/database-url.js';

export { redactUrl, withDatabase };

/** The PostgreSQL server the benchmarks use: the integration tests' server. */
export const BENCH_PG_URL = process.env.WEIR_TEST_PG_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';

/** Scratch databases are named `weir_bench_<random>`; only those are ever dropped. */
export const BENCH_DATABASE_PREFIX = 'weir_bench_';

/** True when the module at `moduleUrl` is the script node was started with. */
export function isMainModule(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}

/** One line describing where the figures were measured. */
export function machineLine(): string {
  const cpuList = cpus();
  const model = cpuList[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown cpu';
  return [
    `machine: ${availableParallelism()} cpus (${model})`,
    `${(totalmem() / 1024 ** 3).toFixed(1)} GiB memory`,
    `node ${process.version}`,
    `${process.platform}-${process.arch}`,
  ].join(', ');
}

/** Runs `work` on a fresh client of the server's admin database; says how to fix a failed connection. */
export async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>, url = BENCH_PG_URL): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new Error(
      `PostgreSQL is not reachable at ${redactUrl(url)} (${(error as Error).message || String(error)}). ` +
        'Run `bash .ci/provision.sh` first, or point WEIR_TEST_PG_URL at a server.',
      { cause: error },
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Fails with a clear message unless the benchmark PostgreSQL server answers; returns its version and durability settings. */
export async function checkPostgres(url = BENCH_PG_URL): Promise<string> {
  return withAdminClient(async (client) => {
    const { rows } = await client.query<{ version: string; fsync: string; sync: string }>(
      "select current_setting('server_version') as version, current_setting('fsync') as fsync, current_setting('synchronous_commit') as sync",
    );
    const row = rows[0]!;
    return `PostgreSQL ${row.version} at ${new URL(url).host} (fsync=${row.fsync}, synchronous_commit=${row.sync})`;
  }, url);
}

/** Creates an empty database `weir_bench_<random>` on the benchmark server and returns its URL. */
export async function createScratchDatabase(url = BENCH_PG_URL): Promise<string> {
  const name = `${BENCH_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`create database "${name}"`), url);
  return withDatabase(url, name);
}

/** Drops a database made by {@link createScratchDatabase}, disconnecting whoever is still on it. */
export async function dropScratchDatabase(databaseUrl: string, url = BENCH_PG_URL): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!name.startsWith(BENCH_DATABASE_PREFIX)) throw new Error(`refusing to drop non-bench database "${name}"`);
  await withAdminClient((client) => client.query(`drop database if exists "${name}" with (force)`), url);
}

/** A benchmark size from the environment (`fallback` when unset), a whole number from 1 to `max`. */
export function sizeFromEnv(name: string, fallback: number, max = 9999): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1 || value > max)
    throw new Error(`${name} must be a whole number from 1 to ${max}, got "${raw}"`);
  return value;
}
