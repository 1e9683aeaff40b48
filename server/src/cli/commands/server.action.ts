import type { Command } from 'commander';
import { startHttpServer } from '../../api/http-server.js';
import { AuthService } from '../../auth/auth-service.js';
import { announceFirstAdminToken } from '../../auth/first-start.js';
import { databaseTarget, openWeir } from '../../engine/open-weir.js';
import { LeaderLoop } from '../../engine/leader-loop.js';
import { schedulingDuties } from '../../engine/scheduling-duties.js';
import { BackfillRunner } from '../../backfills/backfill-runner.js';
import { objectGcDuty } from '../../gc/object-gc-duty.js';
import { loadProject } from '../../project/project-loader.js';
import { LeaderLease } from '../../storage/leader-lease.js';
import { configFor } from '../cli-options.js';
import { bold } from '../render/format.js';
import { CliError } from '../weir-client.js';
import { onShutdown, timestampedLog } from '../process-lifecycle.js';

/** The `weir server` command's work, imported only when it runs (the CLI starts without it). */
export async function runServer(options: { port?: string; host?: string }, command: Command): Promise<void> {
  const config = configFor(command, {
    ...(options.port === undefined ? {} : { port: Number(options.port) }),
    ...(options.host === undefined ? {} : { host: options.host }),
  });
  if (!Number.isInteger(config.port) || config.port < 0)
    throw new CliError(`--port must be a port number (got ${options.port})`);
  const log = timestampedLog();
  const project = await loadProject(config.projectPath);
  const weir = await openWeir(config, project.graph, { role: 'server', entry: project.entry });
  // Replicas starting together on a new database print one token between them.
  const auth = new AuthService(weir.database.dataSource);
  await announceFirstAdminToken(auth);
  // Workers finish the runs, so this server re-reads partition runs every second; any server
  // records a backfill, the leader runs it.
  const backfills = new BackfillRunner({
    engine: weir.engine,
    log,
    info: log,
    recheckIntervalMs: Math.min(config.heartbeatIntervalMs, 1_000),
  });
  const server = await startHttpServer(
    weir.engine,
    { mode: 'distributed', role: 'server', project: project.entry, database: 'postgres' },
    {
      port: config.port,
      host: config.host,
      allowedOrigins: config.allowedOrigins,
      automation: weir.automation,
      auth,
      backfills,
    },
  );
  // Workers materialize in other processes: a warning or late asset is re-read every interval.
  const duties = schedulingDuties(weir, {
    sensors: () => project.sensors,
    log,
    freshnessRecheckMs: config.heartbeatIntervalMs,
    extra: [backfills, objectGcDuty(weir, config, log)],
  });
  const lease = new LeaderLease(databaseTarget(config), () => {
    duties.stop();
    log('lost the scheduler lease');
  });
  const loop = new LeaderLoop(weir.engine, lease, duties, {
    intervalMs: config.heartbeatIntervalMs,
    lostAfterMs: config.lostAfterMs,
    onLead: () => weir.automation.evaluateAll(),
    eachPass: () => weir.automation.sweepUnevaluated(),
    log,
  });
  loop.start();
  log(
    `${bold('Weir server')} · ${project.graph.keys.length} assets · API http://${config.host}:${server.port} · queue ${config.queue?.kind}`,
  );
  await onShutdown(log, async () => {
    await loop.stop();
    await backfills.idle();
    await server.close();
    await weir.close();
  });
}
