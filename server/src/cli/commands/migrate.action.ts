import type { Command } from 'commander';
import { redactUrl } from '../../config/database-url.js';
import { databaseTarget } from '../../engine/open-weir.js';
import { acquireDataDirLock } from '../../storage/data-dir-lock.js';
import { openDatabase, type OpenedDatabase } from '../../storage/data-source.factory.js';
import { MIGRATIONS } from '../../storage/migrations/index.js';
import { configFor } from '../cli-options.js';
import { CliError } from '../weir-client.js';

/** The `weir migrate` command's work, imported only when it runs (the CLI starts without it). */
export async function runMigrate(command: Command): Promise<void> {
  const config = configFor(command);
  const target = databaseTarget(config);
  const where = target.kind === 'postgres' ? redactUrl(target.url) : `the embedded database in ${config.dataDir}`;
  // PGlite is single-process: a running `weir dev` holds the data directory (and migrated it).
  const lock = target.kind === 'pglite' ? acquireDataDirLock(config.dataDir, 'migrate') : undefined;
  if (lock && 'heldBy' in lock) {
    throw new CliError(
      `the data directory ${config.dataDir} is in use by \`weir ${lock.heldBy.command}\` (pid ${lock.heldBy.pid}), which has migrated it already`,
    );
  }
  let database: OpenedDatabase;
  try {
    // Two connections: one holds the migration lock while the other migrates.
    database = await openDatabase(target, { poolSize: 2 });
  } catch (error) {
    lock?.release();
    throw new CliError(`could not migrate ${where}: ${(error as Error).message}`);
  }
  try {
    const applied = database.migrationsApplied ?? [];
    for (const name of applied) process.stdout.write(`applied ${name}\n`);
    process.stdout.write(
      applied.length === 0
        ? `${where}: schema up to date (${MIGRATIONS.length} migrations)\n`
        : `${where}: applied ${applied.length} migration(s), schema up to date (${MIGRATIONS.length} migrations)\n`,
    );
  } finally {
    await database.close();
    lock?.release();
  }
}
