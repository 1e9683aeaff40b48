import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { redactUrl, TEST_DATABASE_PREFIX, TEST_PG_URL } from './env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Distinguishes this `vitest run` from others sharing the same PostgreSQL server. */
    weirTestRunId: string;
  }
}

/** Databases left by a crashed run are dropped by a later run once they are this old. */
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

/**
 * Fails fast, with the fix in the message, when PostgreSQL is not reachable, and hands the
 * workers a run id so that teardown drops this run's databases and no one else's.
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  await assertPostgresAnswers();
  // Base-36 start time first, so teardown can tell stale databases from a concurrent run's.
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  project.provide('weirTestRunId', runId);
  return () => dropTestDatabases(runId);
}

async function assertPostgresAnswers(): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL does not answer at ${redactUrl(TEST_PG_URL)} (${(error as Error).message}). ` +
        'Run `bash .ci/provision.sh` (as root it installs and starts PostgreSQL and Redis), ' +
        'or point WEIR_TEST_PG_URL at a server where the user may CREATE DATABASE.',
      { cause: error },
    );
  } finally {
    await client.end().catch(() => {});
  }
}

async function dropTestDatabases(runId: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [
      `${TEST_DATABASE_PREFIX.replaceAll('_', '\\_')}%`,
    ]);
    for (const { datname } of rows) {
      if (!datname.startsWith(`${TEST_DATABASE_PREFIX}${runId}_`) && !isStale(datname)) continue;
      await client.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await client.end();
  }
}

function isStale(datname: string): boolean {
  const startedAt = parseInt(datname.slice(TEST_DATABASE_PREFIX.length).split('_')[0] ?? '', 36);
  // Names that do not carry a start time were not made by this code: old, drop them.
  return Number.isNaN(startedAt) || Date.now() - startedAt > STALE_AFTER_MS;
}
