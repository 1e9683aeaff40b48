import type { DataSource } from 'typeorm';
import type { AssetGraph } from '../graph/asset-graph.js';
import type { CancelTimer, Clock } from '../runs/clock.js';
import { planStepsIn } from '../runs/run-planner.js';
import { loadPartitionContext, resolveStepTargets } from '../runs/partition-plan.js';
import type { Sensor, SensorResult } from '../sdk/sensor.js';
import { redactSecrets } from '../sdk/redact.js';
import { ResourceRegistry, resolveResources } from '../sdk/resource.js';
import { RunEntity } from '../storage/entities/run.entity.js';
import { appendEvents } from '../storage/event-log.js';
import type { AutomationService } from './automation-service.js';
import { recordObservation } from './upstream-events.js';
import type { LeaderDuty } from '../engine/leader-duties.js';

export interface SensorRunnerOptions {
  readonly dataSource: DataSource;
  readonly graph: () => AssetGraph;
  readonly sensors: () => readonly Sensor[];
  readonly clock: Clock;
  readonly automation: AutomationService;
  readonly snapshotId: () => Promise<string>;
  readonly startRun: (runId: string) => Promise<void>;
  readonly log: (line: string) => void;
  /**
   * Evaluates a sensor elsewhere (in an isolate, see `openWeir`); by default `evaluate` is
   * called on this thread.
   */
  readonly evaluate?: SensorEvaluator;
}

/** Runs one evaluation of a sensor; rejects with the sensor's error. */
export type SensorEvaluator = (
  sensor: Sensor,
  cursor: string | undefined,
  signal: AbortSignal,
) => Promise<SensorResult>;

/** What one tick of a sensor did. */
export interface SensorTick {
  readonly observations: number;
  readonly runIds: readonly string[];
  readonly cursor: string | undefined;
  readonly error?: string;
}

const noopLog = { debug() {}, info() {}, warn() {}, error() {} };
// Sensors evaluated on this thread (no isolates: definitions built in memory) share these.
const inlineResources = new ResourceRegistry();

/**
 * Calls each sensor at its interval (one timer per sensor) on the scheduling server. What a
 * tick found (observations, run requests) is recorded together with the sensor's new cursor in
 * one transaction, so a crash never loses a change or reports it twice. A sensor that throws
 * keeps its cursor and is recorded as failed.
 */
export class SensorRunner implements LeaderDuty {
  private readonly timers = new Map<string, CancelTimer>();
  private readonly controller = new AbortController();
  private running = false;

  constructor(private readonly options: SensorRunnerOptions) {}

  async start(): Promise<void> {
    this.running = true;
    for (const sensor of this.options.sensors()) this.arm(sensor, this.options.clock.now());
  }

  stop(): void {
    this.running = false;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  /** Sensors waiting for their next tick. */
  scheduled(): number {
    return this.timers.size;
  }

  /** Evaluates one sensor now. */
  async tick(sensor: Sensor): Promise<SensorTick> {
    const { dataSource, clock } = this.options;
    const rows: Array<{ cursor: string | null }> = await dataSource.query(
      `SELECT cursor FROM sensor_states WHERE name = $1`,
      [sensor.name],
    );
    const cursor = rows[0]?.cursor ?? undefined;
    let result: SensorResult;
    try {
      const { evaluate } = this.options;
      result = evaluate
        ? await evaluate(sensor, cursor, this.controller.signal)
        : await sensor.evaluate({
            cursor,
            log: noopLog,
            signal: this.controller.signal,
            resources: await resolveResources(sensor.resources, inlineResources),
          });
    } catch (error) {
      // Isolates redact what they send; this process knows the secrets too (it loaded them).
      const message = redactSecrets((error as Error)?.message ?? String(error));
      await dataSource.transaction(async (m) => {
        await m.query(
          `INSERT INTO sensor_states (name, cursor, last_tick_at, last_error) VALUES ($1, $2, $3, $4)
           ON CONFLICT (name) DO UPDATE SET last_tick_at = $3, last_error = $4, updated_at = now()`,
          [sensor.name, cursor ?? null, clock.now(), message],
        );
        await appendEvents(m, [
          {
            type: 'sensor.failed',
            level: 'error',
            message: `sensor ${sensor.name} failed: ${message}`,
            data: { sensor: sensor.name },
          },
        ]);
      });
      return { observations: 0, runIds: [], cursor, error: message };
    }
    const graph = this.options.graph();
    const snapshotId = await this.options.snapshotId();
    const observed = new Set<string>();
    const runIds = await dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`weir-sensor:${sensor.name}`]);
      for (const observation of result.observations ?? []) {
        if (!graph.has(observation.assetKey))
          throw new Error(`sensor ${sensor.name} observed unknown asset '${observation.assetKey}'`);
        await recordObservation(m, graph, { ...observation, source: `sensor:${sensor.name}` });
        observed.add(observation.assetKey);
      }
      const ids: string[] = [];
      for (const request of result.runRequests ?? []) {
        const idempotencyKey = request.runKey ? `sensor:${sensor.name}:${request.runKey}` : undefined;
        if (idempotencyKey && (await m.getRepository(RunEntity).findOneBy({ idempotencyKey }))) continue;
        const keys = graph.select(request.selection).filter((key) => graph.get(key).kind === 'asset');
        const ctx = await loadPartitionContext(m, graph, keys, clock.now());
        const run = await planStepsIn(
          m,
          graph,
          snapshotId,
          {
            selection: request.selection,
            partitions: request.partitions,
            trigger: 'sensor',
            triggerDetail: { sensor: sensor.name },
            idempotencyKey,
          },
          resolveStepTargets(graph, keys, request.partitions, ctx),
          new Map(),
        );
        ids.push(run.id);
      }
      const next = result.cursor ?? cursor;
      await m.query(
        `INSERT INTO sensor_states (name, cursor, last_tick_at, last_error) VALUES ($1, $2, $3, NULL)
         ON CONFLICT (name) DO UPDATE SET cursor = $2, last_tick_at = $3, last_error = NULL, updated_at = now()`,
        [sensor.name, next ?? null, clock.now()],
      );
      if (observed.size > 0 || ids.length > 0) {
        await appendEvents(m, [
          {
            type: 'sensor.tick',
            message: `sensor ${sensor.name}: ${(result.observations ?? []).length} observation(s), ${ids.length} run(s)`,
            data: { sensor: sensor.name, cursor: next ?? null, runIds: ids },
          },
        ]);
      }
      return ids;
    });
    for (const runId of runIds) await this.options.startRun(runId);
    for (const key of observed) await this.options.automation.onUpstreamEvent(key);
    return { observations: (result.observations ?? []).length, runIds, cursor: result.cursor ?? cursor };
  }

  private arm(sensor: Sensor, at: Date): void {
    if (!this.running) return;
    this.timers.set(
      sensor.name,
      this.options.clock.setTimer(at, () => {
        void this.tick(sensor)
          .catch((error: unknown) => this.options.log(`sensor ${sensor.name} tick failed: ${(error as Error).message}`))
          .finally(() => this.arm(sensor, new Date(this.options.clock.now().getTime() + sensor.intervalMs)));
      }),
    );
  }
}
