import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/storage/data-source.factory.js';
import { TEST_DATABASE_PREFIX, TEST_PG_URL, withDatabase } from './env.js';

export type StorageBackend = 'pglite' | 'postgres';

/** Every metadata backend; storage tests run once per entry (`describe.each(STORAGE_BACKENDS)`). */
export const STORAGE_BACKENDS: StorageBackend[] = ['pglite', 'postgres'];

/**
 * Creates a fresh, empty PostgreSQL database (`weir_test_<run id>_<random>`) on the test server
 * and returns its URL. Global teardown drops it.
 */
export async function createPostgresDatabase(): Promise<string> {
  const name = `${TEST_DATABASE_PREFIX}${inject('weirTestRunId')}_${randomBytes(6).toString('hex')}`;
  await withAdminClient((client) => client.query(`create database "${name}"`));
  return withDatabase(TEST_PG_URL, name);
}

/** Drops a database made by {@link createPostgresDatabase}, disconnecting whoever is still on it. */
export async function dropPostgresDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name.startsWith(TEST_DATABASE_PREFIX)) throw new Error(`refusing to drop non-test database "${name}"`);
  await withAdminClient((client) => client.query(`drop database if exists "${name}" with (force)`));
}

/**
 * Opens a fresh, migrated metadata database on `backend`: PGlite in memory, or a new PostgreSQL
 * database (dropped again by `close()`).
 */
export async function openTestDatabase(backend: StorageBackend): Promise<OpenedDatabase> {
  if (backend === 'pglite') return openDatabase({ kind: 'pglite', dataDir: undefined });
  const url = await createPostgresDatabase();
  let opened: OpenedDatabase;
  try {
    opened = await openDatabase({ kind: 'postgres', url }, { poolSize: 4 });
  } catch (error) {
    await dropPostgresDatabase(url).catch(() => {});
    throw error;
  }
  return {
    dataSource: opened.dataSource,
    target: opened.target,
    async close() {
      await opened.close();
      await dropPostgresDatabase(url);
    },
  };
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database that outlives one `openDatabase`: a PGlite data dir or a fresh PostgreSQL database. */
export async function persistentTarget(
  backend: StorageBackend,
): Promise<{ target: OpenedDatabase['target']; cleanup: () => Promise<void> }> {
  if (backend === 'pglite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'weir-pglite-'));
    return { target: { kind: 'pglite', dataDir }, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const url = await createPostgresDatabase();
  return { target: { kind: 'postgres', url }, cleanup: () => dropPostgresDatabase(url) };
}
