import type { Command } from 'commander';
import { join } from 'node:path';
import type { WeirConfig } from '../../config/weir-config.js';
import { databaseTarget } from '../../engine/open-weir.js';
import { summarizeGc } from '../../gc/gc-summary.js';
import { collectGarbage, type GcReport } from '../../gc/object-gc.js';
import { createObjectStore } from '../../io/object-store.factory.js';
import { formatByteSize } from '../../sdk/byte-size.js';
import { formatDuration } from '../../sdk/duration.js';
import { acquireDataDirLock } from '../../storage/data-dir-lock.js';
import { openDatabase } from '../../storage/data-source.factory.js';
import { configFor } from '../cli-options.js';
import { dim } from '../render/format.js';
import { CliError } from '../weir-client.js';

/** The `weir gc` command's work, imported only when it runs (the CLI starts without it). */
export async function runGc(options: { dryRun?: boolean; json?: boolean }, command: Command): Promise<void> {
  const config = configFor(command);
  const report = await withGcTargets(config, async (dataSource, store) =>
    collectGarbage({
      dataSource,
      store,
      safetyWindowMs: config.gcSafetyWindowMs,
      dryRun: options.dryRun ?? false,
      onOrphan: (object) => {
        if (options.json) return;
        const verb = options.dryRun ? 'would delete' : 'deleted';
        process.stdout.write(
          `${verb} ${object.key} ${dim(`(${formatByteSize(object.size)}, written ${object.lastModified.toISOString()})`)}\n`,
        );
      },
    }),
  );
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...report, safetyWindowMs: config.gcSafetyWindowMs }, null, 2)}\n`);
  } else {
    process.stdout.write(`${summarizeGc(report, config.gcSafetyWindowMs)}\n`);
  }
  if (report.failed.count > 0) process.exitCode = 1;
}

/**
 * Opens the database and the object store for a collection. PGlite is single-process: with the
 * embedded database the data directory's lock is taken, and a running `weir dev` (which collects
 * on its own every WEIR_GC_INTERVAL) must be stopped first. PostgreSQL is shared: no lock.
 */
async function withGcTargets(
  config: WeirConfig,
  work: (
    dataSource: Awaited<ReturnType<typeof openDatabase>>['dataSource'],
    store: Awaited<ReturnType<typeof createObjectStore>>,
  ) => Promise<GcReport>,
): Promise<GcReport> {
  const lock = config.databaseUrl ? undefined : acquireDataDirLock(config.dataDir, 'gc');
  if (lock && 'heldBy' in lock) {
    const every =
      config.gcIntervalMs === undefined
        ? 'never (WEIR_GC_INTERVAL=off)'
        : `every ${formatDuration(config.gcIntervalMs)}`;
    throw new CliError(
      `the data directory ${config.dataDir} is in use by \`weir ${lock.heldBy.command}\` (pid ${lock.heldBy.pid}); it collects orphaned objects itself (${every}). Stop it to run \`weir gc\` now`,
    );
  }
  try {
    const database = await openDatabase(databaseTarget(config));
    try {
      const store = await createObjectStore(config.objectStoreUrl, join(config.dataDir, 'objects'));
      try {
        return await work(database.dataSource, store);
      } finally {
        (store as { destroy?: () => void }).destroy?.();
      }
    } finally {
      await database.close();
    }
  } finally {
    lock?.release();
  }
}
