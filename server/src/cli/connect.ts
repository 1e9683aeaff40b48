import { join } from 'node:path';
import { readCliToken } from '../auth/cli-credential.js';
import type { WeirConfig } from '../config/weir-config.js';
import { acquireDataDirLock, type LockHolder } from '../storage/data-dir-lock.js';
import { CliError, type WeirClient } from './weir-client.js';

// The engine, the database and the project loader are imported when a command connects, not
// when the CLI starts: `weir --help` and `weir --version` load none of them.

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
    const { HttpClient } = await import('./http-client.js');
    return new HttpClient(`http://127.0.0.1:${lock.heldBy.port}`, apiTokenFor(config));
  }
  try {
    const [{ loadProject }, { LocalClient }] = await Promise.all([
      import('../project/project-loader.js'),
      import('./local-client.js'),
    ]);
    if (options.withEngine) {
      const { openWeir } = await import('../engine/open-weir.js');
      const project = await loadProject(config.projectPath);
      const weir = await openWeir(config, project.graph, { entry: project.entry });
      return new LocalClient(weir.database, weir.engine, async () => {
        await weir.close();
        lock.release();
      });
    }
    const { openDatabase } = await import('../storage/data-source.factory.js');
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
