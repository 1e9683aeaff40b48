import type { Command } from 'commander';
import { relative } from 'node:path';
import { startHttpServer } from '../../api/http-server.js';
import { AuthService } from '../../auth/auth-service.js';
import { cliTokenPath, ensureCliToken } from '../../auth/cli-credential.js';
import { announceFirstAdminToken } from '../../auth/first-start.js';
import { EmbeddedReconcileLoop } from '../../engine/embedded-reconcile-loop.js';
import { openWeir } from '../../engine/open-weir.js';
import { schedulingDuties } from '../../engine/scheduling-duties.js';
import { BackfillRunner } from '../../backfills/backfill-runner.js';
import { objectGcDuty } from '../../gc/object-gc-duty.js';
import { loadProject } from '../../project/project-loader.js';
import { watchProject } from '../../project/project-watcher.js';
import { acquireDataDirLock } from '../../storage/data-dir-lock.js';
import { redactUrl } from '../../config/database-url.js';
import { configFor } from '../cli-options.js';
import { bold, green, red } from '../render/format.js';
import { CliError } from '../weir-client.js';
import { onShutdown, timestampedLog } from '../process-lifecycle.js';

/** The `weir dev` command's work, imported only when it runs (the CLI starts without it). */
export async function runDev(
  options: { port?: string; host?: string; watch: boolean },
  command: Command,
): Promise<void> {
  const config = configFor(command, {
    ...(options.port === undefined ? {} : { port: Number(options.port) }),
    ...(options.host === undefined ? {} : { host: options.host }),
  });
  if (!Number.isInteger(config.port) || config.port < 0)
    throw new CliError(`--port must be a port number (got ${options.port})`);
  const lock = acquireDataDirLock(config.dataDir, 'dev');
  if ('heldBy' in lock) {
    throw new CliError(
      `the data directory ${config.dataDir} is in use by \`weir ${lock.heldBy.command}\` (pid ${lock.heldBy.pid}); stop it first, or set WEIR_DATA_DIR to another directory`,
    );
  }
  const project = await loadProject(config.projectPath);
  const weir = await openWeir(config, project.graph, { entry: project.entry });
  const log = timestampedLog();
  // Before the API listens (and the lock names its port): the CLI finds its token ready.
  const auth = new AuthService(weir.database.dataSource);
  await announceFirstAdminToken(auth);
  await ensureCliToken(auth, config.dataDir);
  // Runs finish in this process, which hears of each at once; the recheck is a safety net.
  const backfills = new BackfillRunner({
    engine: weir.engine,
    log,
    info: log,
    recheckIntervalMs: config.heartbeatIntervalMs,
  });
  const server = await startHttpServer(
    weir.engine,
    { mode: 'embedded', role: 'dev', project: project.entry, database: config.databaseUrl ? 'postgres' : 'pglite' },
    {
      port: config.port,
      host: config.host,
      allowedOrigins: config.allowedOrigins,
      automation: weir.automation,
      auth,
      backfills,
    },
  );
  lock.setPort(server.port);
  log(
    `${bold('Weir dev')} · ${project.graph.keys.length} assets from ${relative(process.cwd(), project.entry) || project.entry}`,
  );
  log(
    server.consoleServed
      ? `console  http://${config.host}:${server.port}/  · GraphQL /graphql · REST /api, /healthz, /readyz, /metrics`
      : `API      http://${config.host}:${server.port}  (GraphQL /graphql, REST /api; console not built: npm run build)`,
  );
  log(`auth     API tokens required; this machine's CLI uses ${cliTokenPath(config.dataDir)}`);
  log(
    `data     ${config.dataDir} (${config.databaseUrl ? 'PostgreSQL' : 'PGlite'}, objects in ${config.objectStoreUrl ? redactUrl(config.objectStoreUrl) : `${config.dataDir}/objects`})`,
  );
  log(`executor in-process, ${config.concurrency} at a time · try: npx weir materialize '*'`);

  // One process: it schedules (cron, freshness deadlines, sensors) and reacts at once.
  let current = project;
  // Started here, on the one process: it also resumes every unfinished backfill.
  const duties = schedulingDuties(weir, {
    sensors: () => current.sensors,
    log,
    extra: [backfills, objectGcDuty(weir, config, log)],
  });
  await duties.start();
  await weir.automation.evaluateAll();
  const reconciling = new EmbeddedReconcileLoop(weir.engine, {
    intervalMs: config.heartbeatIntervalMs,
    queuedGraceMs: config.lostAfterMs,
    log,
    eachPass: () => weir.automation.sweepUnevaluated(),
  });
  reconciling.start();

  let reloading = Promise.resolve();
  const watcher = options.watch
    ? watchProject(project.entry, () => {
        reloading = reloading.then(async () => {
          try {
            const next = await loadProject(config.projectPath);
            if (next.graph.hash === weir.engine.graph.hash && next.sensors.length === current.sensors.length) return;
            current = next;
            await weir.engine.setGraph(next.graph);
            duties.stop();
            await duties.start();
            await weir.automation.evaluateAll();
            log(green(`reloaded definitions: ${next.graph.keys.length} assets`));
          } catch (error) {
            log(red(`definitions not reloaded, keeping the previous ones:\n${(error as Error).message}`));
          }
        });
      })
    : undefined;

  await onShutdown(log, async () => {
    watcher?.close();
    await reconciling.stop();
    duties.stop();
    await backfills.idle();
    await server.close();
    await weir.close();
    lock.release();
  });
}
