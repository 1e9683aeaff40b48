import { join } from 'node:path';
import { readCliToken } from '../auth/cli-credential.js';
import type { WeirConfig } from '../config/weir-config.js';
import { openWeir } from '../engine/open-weir.js';
import { loadProject } from '../project/project-loader.js';
import { openDatabase } from '../storage/data-source.factory.js';
import { acquireDataDirLock, type LockHolder } from '../storage/data-dir-lock.js';
import { HttpClient } from './http-client.js';
import { LocalClient } from './local-client.js';
import { CliError, type WeirClient } from './weir-client.js';

function busy(config: WeirConfig, holder: LockHolder): CliError {
  return new CliError(
    `the data directory ${config.dataDir} is in use by \`weir ${holder.command}\` (pid ${holder.pid}) and that process has no API to talk to; wait for it to finish, or use another WEIR_DATA_DIR`,
  );
}

/** The token the CLI sends to a running Weir: WEIR_API_TOKEN, else the data directory's cli-token. */
export function apiTokenFor(config: WeirConfig): string | undefined {
  return config.apiToken ?? readCliToken(config.dataDir);
}

/**
 * Connects a CLI command to Weir: to the API of the process holding the data directory when
 * there is one (so `weir dev` keeps exclusive use of its embedded database), else by taking
 * the directory's lock and opening it here. `withEngine` also loads the project and starts an
 * engine (for commands that run steps).
 */
export async function connect(
  config: WeirConfig,
  command: string,
  options: { withEngine: boolean },
): Promise<WeirClient> {
  const lock = acquireDataDirLock(config.dataDir, command);
  if ('heldBy' in lock) {
    if (lock.heldBy.port === null) throw busy(config, lock.heldBy);
    return new HttpClient(`http://127.0.0.1:${lock.heldBy.port}`, apiTokenFor(config));
  }
  try {
    if (options.withEngine) {
      const project = await loadProject(config.projectPath);
      const weir = await openWeir(config, project.graph, { entry: project.entry });
      return new LocalClient(weir.database, weir.engine, async () => {
        await weir.close();
        lock.release();
      });
    }
    const database = await openDatabase(
      config.databaseUrl
        ? { kind: 'postgres', url: config.databaseUrl }
        : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') },
    );
    return new LocalClient(
      database,
      undefined,
      async () => {
        await database.close();
        lock.release();
      },
      async () => (await loadProject(config.projectPath)).graph,
    );
  } catch (error) {
    lock.release();
    throw error;
  }
}
