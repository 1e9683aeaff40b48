import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/weir-config.js';
import { openWeir } from '../src/engine/open-weir.js';
import { loadProject } from '../src/project/project-loader.js';
import type { RunView } from '../src/runs/run-queries.js';
import { MaterializationEntity } from '../src/storage/entities/materialization.entity.js';

/** A measured run of a project's selection, with what it materialized. */
export interface ProjectRun {
  /** From the request to the run's end. */
  readonly ms: number;
  /** This process's RSS once Weir (and its database) was open, before the run. */
  readonly openRssKiB: number;
  readonly run: RunView;
  /** The latest materialization of an asset of the run. */
  materialization(assetKey: string): Promise<MaterializationEntity>;
}

/**
 * Opens the project at `entry` as `weir dev` would (on a fresh data directory; on
 * WEIR_DATABASE_URL when set), runs `selection` once, hands the measured run to `read`, then
 * closes everything. A run that does not succeed throws with its steps' errors.
 */
export async function measureProjectRun<T>(
  entry: string,
  selection: string,
  read: (run: ProjectRun) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'weir-bench-run-'));
  try {
    const project = await loadProject(entry);
    const databaseUrl = process.env.WEIR_DATABASE_URL;
    const config = loadConfig({ WEIR_DATA_DIR: dataDir, ...(databaseUrl ? { WEIR_DATABASE_URL: databaseUrl } : {}) });
    const opened = await openWeir(config, project.graph, { entry });
    try {
      const openRssKiB = process.memoryUsage().rss / 1024;
      const start = performance.now();
      const requested = await opened.engine.requestRun({ selection, trigger: 'manual' });
      const run = await opened.engine.waitForRun(requested.id);
      const ms = performance.now() - start;
      if (run.status !== 'succeeded') {
        throw new Error(`the run of ${selection} ended ${run.status}: ${run.steps.map((s) => s.error).join('; ')}`);
      }
      const materializations = opened.database.dataSource.getRepository(MaterializationEntity);
      return await read({
        ms,
        openRssKiB,
        run,
        materialization: (assetKey) => materializations.findOneByOrFail({ assetKey }),
      });
    } finally {
      await opened.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
