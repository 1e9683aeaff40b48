import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';
import { pgliteDriverModule } from './pglite-pool.js';
import { StatementLogger } from './statement-logger.js';

/** Where the metadata lives: a PGlite directory (embedded) or a PostgreSQL URL. */
export type DatabaseTarget = { kind: 'pglite'; dataDir: string | undefined } | { kind: 'postgres'; url: string };

export interface OpenedDatabase {
  readonly dataSource: DataSource;
  readonly target: DatabaseTarget;
  /** The migrations this open applied (by name, in order); empty when the schema was up to date. */
  readonly migrationsApplied?: readonly string[];
  close(): Promise<void>;
}

/**
 * Opens the metadata database and brings its schema up to date with the migrations.
 * `dataDir: undefined` keeps a PGlite database in memory (tests).
 */
export async function openDatabase(
  target: DatabaseTarget,
  options: { poolSize?: number } = {},
): Promise<OpenedDatabase> {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    // Run below, under a lock, so replicas starting together do not migrate twice.
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: ['error'] as 'error'[],
    // Statements by shape only: the default logger prints bound parameters (user input, secrets).
    logger: new StatementLogger(),
  };
  let pglite: PGlite | undefined;
  let config: DataSourceOptions;
  if (target.kind === 'pglite') {
    if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
    // pg returns int8 (bigint, count(*)) as strings; make PGlite do the same so both backends
    // give the same types and large ids keep their precision.
    const parsers = { [types.INT8]: (value: string) => value };
    pglite = await PGlite.create(target.dataDir ? { dataDir: target.dataDir, parsers } : { parsers });
    config = { ...common, driver: pgliteDriverModule, extra: { pglite } } as DataSourceOptions;
  } else {
    config = { ...common, url: target.url, poolSize: options.poolSize ?? 10 } as DataSourceOptions;
  }
  const dataSource = new DataSource(config);
  await dataSource.initialize();
  let applied: string[];
  try {
    applied = await migrate(dataSource, target);
  } catch (error) {
    await dataSource.destroy();
    await pglite?.close();
    throw error;
  }
  return {
    dataSource,
    target,
    migrationsApplied: applied,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await pglite?.close();
    },
  };
}

// Any constant works: it only has to be the same in every Weir process.
const MIGRATION_LOCK_ID = 0x5745_4d47; // 'WEMG'

/** Applies pending migrations; on PostgreSQL under an advisory lock held for the duration. */
async function migrate(dataSource: DataSource, target: DatabaseTarget): Promise<string[]> {
  if (target.kind === 'pglite') {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    return (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
    await runner.release();
  }
}
