import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import type { AnyAssetDefinition } from '../sdk/asset.js';
import { AssetDefinitionError, type Culprit } from '../sdk/definition-error.js';
import { ResourceRegistry, type Resource } from '../sdk/resource.js';
import type { Sensor } from '../sdk/sensor.js';

/**
 * The resources of a project, their configs resolved from the environment now: a variable
 * that is missing fails the load (in the engine's process and in every isolate alike), naming
 * the resource, the variable and the assets, checks and sensors that use it. No instance is
 * created here; isolates create them on first use.
 */
export function projectResources(
  definitions: readonly AnyAssetDefinition[],
  sensors: readonly Sensor[],
  source: NodeJS.ProcessEnv = process.env,
): ResourceRegistry {
  const users = new Map<Resource, Culprit[]>();
  const use = (res: Resource, culprit: Culprit): void => {
    const list = users.get(res) ?? [];
    list.push(culprit);
    users.set(res, list);
  };
  for (const definition of definitions) {
    if (definition.kind !== 'asset') continue;
    const culprit = { key: definition.key, definedAt: definition.definedAt };
    for (const res of Object.values(definition.resources)) use(res, culprit);
    for (const check of definition.checks) {
      for (const res of Object.values(check.resources ?? {})) {
        use(res, { key: `${definition.key} (check '${check.name}')`, definedAt: definition.definedAt });
      }
    }
  }
  for (const sensor of sensors) {
    for (const res of Object.values(sensor.resources))
      use(res, { key: `sensor:${sensor.name}`, definedAt: sensor.definedAt });
  }
  const registry = new ResourceRegistry(source);
  for (const [res, culprits] of users) {
    try {
      registry.register(res);
    } catch (error) {
      throw new AssetDefinitionError(`${(error as Error).message}; it is used by`, culprits);
    }
  }
  return registry;
}

/**
 * Where resources' `env()` and `secret()` read from: the process's environment over
 * `weir.<WEIR_ENV>.env` over `weir.env`, both optional `KEY=value` files in the project's
 * folder. The files configure resources only; they are not added to `process.env`.
 */
export function resourceEnvironment(projectDir: string, source: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const weirEnv = source.WEIR_ENV ?? 'dev';
  const read = (name: string): NodeJS.ProcessEnv => {
    const file = join(projectDir, name);
    return existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  };
  return { ...read('weir.env'), ...read(`weir.${weirEnv}.env`), ...source };
}
