import { setTimeout as sleep } from 'node:timers/promises';
import { createObjectStore } from '../../io/object-store.factory.js';
import type { ObjectStore } from '../../io/object-store.port.js';
import { loadProject, type LoadedProject } from '../../project/project-loader.js';
import { IsolateChannel } from './isolate-channel.js';
import { runSensorInIsolate, runStepInIsolate } from './isolated-step.js';
import {
  serializeError,
  type DefinitionsSource,
  type DisposeTask,
  type DisposeTaskResult,
  type IsolateTask,
  type ObjectStoreSettings,
} from './step-task.js';

/*
 * The entry module of a pooled isolate (a worker thread). It loads the project once per thread
 * and runs one task at a time. Module state of the project is therefore per isolate: two steps
 * on the same thread share it, steps on different threads (or after a crash) do not.
 */

const projects = new Map<string, Promise<LoadedProject>>();
// Loaded without error: their resources may hold instances to dispose.
const loaded = new Set<LoadedProject>();
const stores = new Map<string, Promise<ObjectStore>>();

/** A failure to load or match the definitions: the step cannot run, another try will not help. */
class DefinitionsError extends Error {
  override name = 'DefinitionsError';
}

async function definitionsFor(source: DefinitionsSource): Promise<LoadedProject> {
  let loading = projects.get(source.entry);
  if (!loading) {
    loading = loadProject(source.entry);
    projects.set(source.entry, loading);
    // A load that failed is tried again by the next task (the files may have been fixed).
    loading.catch(() => projects.delete(source.entry));
  }
  let project: LoadedProject;
  try {
    project = await loading;
    loaded.add(project);
  } catch (error) {
    throw new DefinitionsError(`the isolate could not load the definitions: ${(error as Error).message}`);
  }
  if (project.graph.hash !== source.graphHash) {
    throw new DefinitionsError(
      `the definitions in ${source.entry} changed since this run was planned (graph ${source.graphHash.slice(0, 12)}, now ${project.graph.hash.slice(0, 12)}): re-run it once the engine has reloaded them`,
    );
  }
  return project;
}

function storeFor(settings: ObjectStoreSettings): Promise<ObjectStore> {
  const key = `${settings.url ?? ''}|${settings.defaultRoot}`;
  let store = stores.get(key);
  if (!store) {
    store = createObjectStore(settings.url, settings.defaultRoot);
    stores.set(key, store);
  }
  return store;
}

/** Disposes this thread's resource instances, then waits for the other threads' tasks to start. */
async function disposeResources(task: DisposeTask): Promise<DisposeTaskResult> {
  const started = new Int32Array(task.barrier);
  Atomics.add(started, 0, 1);
  const errors: string[] = [];
  for (const project of loaded) {
    for (const error of await project.resources.disposeAll()) errors.push(error.message);
  }
  const until = Date.now() + task.waitMs;
  while (Atomics.load(started, 0) < task.threads && Date.now() < until) await sleep(5);
  return errors;
}

/**
 * Runs one task; its outcome goes back on the task's channel (see `IsolateChannel.finish`).
 * A dispose task has no channel: its errors are its return value.
 */
export default async function runIsolateTask(task: IsolateTask): Promise<void | DisposeTaskResult> {
  if (task.type === 'dispose') return disposeResources(task);
  const channel = new IsolateChannel(task.port);
  let project: LoadedProject;
  try {
    project = await definitionsFor(task.definitions);
  } catch (error) {
    channel.finish({ ok: false, error: serializeError(error, true, true) });
    return;
  }
  if (task.type === 'load') {
    channel.finish({ ok: true });
    return;
  }
  if (task.type === 'sensor') {
    const sensor = project.sensors.find((candidate) => candidate.name === task.sensorName);
    if (!sensor) {
      const error = new DefinitionsError(`sensor ${task.sensorName} is not defined in ${task.definitions.entry}`);
      channel.finish({ ok: false, error: serializeError(error, true, true) });
      return;
    }
    channel.started();
    channel.finish(await runSensorInIsolate(task, sensor, channel, project.resources));
    return;
  }
  const definition = project.graph.has(task.assetKey) ? project.graph.get(task.assetKey) : undefined;
  if (definition?.kind !== 'asset') {
    const error = new DefinitionsError(
      `asset ${task.assetKey} is not a materializable asset of ${task.definitions.entry}`,
    );
    channel.finish({ ok: false, error: serializeError(error, true, true) });
    return;
  }
  const store = await storeFor(task.objectStore);
  channel.started();
  const lookup = (key: string) => {
    const found = project.graph.has(key) ? project.graph.get(key) : undefined;
    return found?.kind === 'asset' ? found : undefined;
  };
  channel.finish(await runStepInIsolate(task, definition, store, channel, project.resources, lookup));
}
