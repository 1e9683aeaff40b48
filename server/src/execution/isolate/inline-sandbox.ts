import type { AssetGraph } from '../../graph/asset-graph.js';
import type { ObjectStore } from '../../io/object-store.port.js';
import { ResourceRegistry } from '../../sdk/resource.js';
import type { AnyAsset } from '../../sdk/asset.js';
import type { Sensor } from '../../sdk/sensor.js';
import { IsolateChannel } from './isolate-channel.js';
import { runSensorInIsolate, runStepInIsolate } from './isolated-step.js';
import type { RunningTask, StepLimits, StepRequest, StepSandbox } from './step-sandbox.port.js';
import { serializeError, type SensorTaskResult, type StepTaskResult } from './step-task.js';
import { TaskSupervisor, type TaskHandlers } from './task-supervisor.js';

/**
 * Runs user code on the caller's thread, through the same channel protocol as the isolates.
 * Not isolated: a busy asset blocks the caller, and a task that ignores its signal cannot be
 * terminated. For engines built from in-memory definitions (tests of the engine itself), and
 * as the baseline the benchmark measures the isolation overhead against.
 */
export class InlineSandbox implements StepSandbox {
  constructor(
    private readonly graph: () => AssetGraph,
    private readonly store: ObjectStore,
    private readonly sensors: () => readonly Sensor[] = () => [],
    private readonly graceMs = 5_000,
    /** Resources of the tasks run here, created on first use (`close` disposes them). */
    private readonly resources = new ResourceRegistry(),
  ) {}

  runStep(request: StepRequest, handlers: TaskHandlers, limits: StepLimits): RunningTask<StepTaskResult> {
    const supervisor = new TaskSupervisor<StepTaskResult>(handlers, {
      ...limits,
      graceMs: this.graceMs,
      what: `asset ${request.assetKey}`,
    });
    const channel = new IsolateChannel(supervisor.isolatePort);
    const graph = this.graph();
    const definition = graph.has(request.assetKey) ? graph.get(request.assetKey) : undefined;
    const running = (async () => {
      if (definition?.kind !== 'asset') {
        const error = new Error(`asset ${request.assetKey} is not a materializable asset of the definitions`);
        return channel.finish({ ok: false, error: serializeError(error, true, true) });
      }
      channel.started();
      channel.finish(
        await runStepInIsolate(request, definition, this.store, channel, this.resources, (key) => assetIn(graph, key)),
      );
    })();
    return { outcome: supervisor.settle(running), stop: (kind, message) => supervisor.stop(kind, message) };
  }

  runSensor(sensorName: string, cursor: string | undefined, handlers: TaskHandlers): RunningTask<SensorTaskResult> {
    const supervisor = new TaskSupervisor<SensorTaskResult>(handlers, {
      graceMs: this.graceMs,
      what: `sensor ${sensorName}`,
    });
    const channel = new IsolateChannel(supervisor.isolatePort);
    const sensor = this.sensors().find((candidate) => candidate.name === sensorName);
    const running = (async () => {
      if (!sensor) {
        return channel.finish({
          ok: false,
          error: serializeError(new Error(`sensor ${sensorName} is not defined`), true, true),
        });
      }
      channel.started();
      channel.finish(await runSensorInIsolate({ cursor }, sensor, channel, this.resources));
    })();
    return { outcome: supervisor.settle(running), stop: (kind, message) => supervisor.stop(kind, message) };
  }

  async warm(): Promise<void> {}

  async definitionsChanged(): Promise<void> {}

  async close(): Promise<void> {
    for (const error of await this.resources.disposeAll()) console.error(`weir: ${error.message}`);
  }
}

function assetIn(graph: AssetGraph, key: string): AnyAsset | undefined {
  const definition = graph.has(key) ? graph.get(key) : undefined;
  return definition?.kind === 'asset' ? definition : undefined;
}
