import { join } from 'node:path';
import type { WeirConfig } from '../config/weir-config.js';
import { ConfigError } from '../config/weir-config.js';
import type { AssetGraph } from '../graph/asset-graph.js';
import { AttemptHeartbeat } from '../execution/attempt-heartbeat.js';
import { BullMqExecutor } from '../execution/bullmq-executor.js';
import type { Executor } from '../execution/executor.port.js';
import { InProcessExecutor } from '../execution/in-process-executor.js';
import { createObjectStore } from '../io/object-store.factory.js';
import type { ObjectStore } from '../io/object-store.port.js';
import { openDatabase, type DatabaseTarget, type OpenedDatabase } from '../storage/data-source.factory.js';
import type { Clock } from '../runs/clock.js';
import { WeirEngine } from './weir-engine.js';
import { AutomationService } from '../automation/automation-service.js';
import { wireAutomation } from '../automation/automation-wiring.js';
import { openAlerting, type Alerting } from '../alerts/alerting.js';
import type { SensorEvaluator } from '../automation/sensor-runner.js';
import { WorkerPoolSandbox } from '../execution/isolate/worker-pool-sandbox.js';
import { sandboxSensorEvaluator } from '../execution/isolate/sandbox-sensor-evaluator.js';

/**
 * What a process does. `embedded`: everything, steps in-process (`weir dev`, and CLI commands
 * that open the data directory). `server`: API and scheduling, dispatching steps to the queue.
 * `worker`: runs queued steps.
 */
export type WeirRole = 'embedded' | 'server' | 'worker';

/** A running engine with the resources it owns. */
export interface OpenedWeir {
  readonly engine: WeirEngine;
  readonly database: OpenedDatabase;
  readonly objectStore: ObjectStore;
  readonly role: WeirRole;
  /** Evaluates automation conditions; fed by this process's own materializations. */
  readonly automation: AutomationService;
  /** Alert sinks from WEIR_ALERT_*; failed runs finished by this process are alerted. */
  readonly alerting: Alerting;
  /** Evaluates sensors in isolates (when the definitions came from a project module). */
  readonly evaluateSensor: SensorEvaluator | undefined;
  close(): Promise<void>;
}

/** Where the metadata lives for this configuration. */
export function databaseTarget(config: WeirConfig): DatabaseTarget {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl }
    : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') };
}

function executorFor(config: WeirConfig, role: WeirRole, concurrency: number): Executor {
  if (role === 'embedded') return new InProcessExecutor(concurrency);
  if (!config.databaseUrl) {
    throw new ConfigError(
      'WEIR_DATABASE_URL',
      '',
      `a PostgreSQL URL: \`weir ${role}\` shares its metadata with other processes`,
    );
  }
  if (!config.queue) {
    throw new ConfigError(
      'WEIR_REDIS_URL',
      '',
      `a redis:// URL (or WEIR_QUEUE=postgres): \`weir ${role}\` hands steps over through a queue`,
    );
  }
  return new BullMqExecutor({ backend: config.queue, concurrency });
}

/**
 * Wires a process for its role: metadata in PGlite under the data dir unless
 * WEIR_DATABASE_URL is set, the filesystem object store unless WEIR_OBJECT_STORE says
 * otherwise, and the in-process executor (embedded) or the BullMQ one (server, worker).
 */
export async function openWeir(
  config: WeirConfig,
  graph: AssetGraph,
  options: {
    role?: WeirRole;
    concurrency?: number;
    clock?: Clock;
    random?: () => number;
    /**
     * The project module `graph` was loaded from: user code then runs in isolates that load it
     * too. Without it (definitions built in memory) it runs on the engine's thread.
     */
    entry?: string;
  } = {},
): Promise<OpenedWeir> {
  const role = options.role ?? 'embedded';
  const concurrency = options.concurrency ?? config.concurrency;
  const executor = executorFor(config, role, concurrency);
  const sandbox = options.entry
    ? new WorkerPoolSandbox({
        entry: options.entry,
        graphHash: graph.hash,
        objectStore: { url: config.objectStoreUrl, defaultRoot: join(config.dataDir, 'objects') },
        // A server only evaluates sensors: one isolate is enough.
        concurrency: role === 'server' ? 1 : concurrency,
        graceMs: config.cancelGraceMs,
      })
    : undefined;
  // The isolates load the project while the database opens (both take seconds); awaited before
  // the first step, so that they hold the code this process loaded.
  const warmed = sandbox?.warm();
  warmed?.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
  let database: Awaited<ReturnType<typeof openDatabase>>;
  try {
    database = await openDatabase(databaseTarget(config));
  } catch (error) {
    await executor.stop().catch(() => {});
    await sandbox?.close();
    throw error;
  }
  try {
    const objectStore = await createObjectStore(config.objectStoreUrl, join(config.dataDir, 'objects'));
    await warmed;
    const engine = new WeirEngine({
      dataSource: database.dataSource,
      objectStore,
      executor,
      graph,
      inlineLimit: config.inlineLimit,
      retryDefaults: config.retryDefaults,
      pools: config.pools,
      clock: options.clock,
      random: options.random,
      sandbox,
      stepTimeoutMs: config.stepTimeoutMs,
      stepMemoryBytes: config.stepMemoryBytes,
    });
    const automation = new AutomationService({
      dataSource: database.dataSource,
      graph: () => engine.graph,
      snapshotId: () => engine.currentSnapshotId(),
      clock: engine.clock,
      start: (runId) => engine.startPlannedRun(runId),
    });
    wireAutomation(engine, automation, { log: (line) => console.error(`weir: ${line}`) });
    const alerting = await openAlerting({
      settings: config,
      dataSource: database.dataSource,
      clock: engine.clock,
      log: (line) => console.error(`weir: ${line}`),
    });
    alerting.watchRuns(engine);
    await engine.start({ recover: role === 'embedded' ? 'exclusive' : 'none', consume: role !== 'server' });
    // Written by this thread, which never runs user code: a busy step cannot starve it.
    const heartbeat =
      role !== 'server'
        ? new AttemptHeartbeat(database.dataSource, engine.workerId, config.heartbeatIntervalMs, (ids) =>
            engine.abortAttempts(ids, 'the run was canceled'),
          )
        : undefined;
    heartbeat?.start();
    return {
      engine,
      database,
      objectStore,
      role,
      automation,
      alerting,
      evaluateSensor: sandbox ? sandboxSensorEvaluator(sandbox) : undefined,
      async close() {
        await engine.stop();
        await alerting.close();
        await heartbeat?.stop();
        await database.close();
      },
    };
  } catch (error) {
    await executor.stop().catch(() => {});
    await sandbox?.close();
    await database.close();
    throw error;
  }
}
