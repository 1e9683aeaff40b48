import { callerLocation } from './caller-location.js';
import type { AssetLogger } from './context.js';
import { AssetDefinitionError } from './definition-error.js';
import { parseDuration, type Duration } from './duration.js';
import { resourcesProblem, type ResourceInstances, type ResourceMap } from './resource.js';

/** What a sensor's `evaluate` receives; `Resources` is the type of `resources`. */
export interface SensorContext<Resources = Record<never, never>> {
  /** The cursor the previous evaluation returned (undefined the first time). Durable. */
  readonly cursor: string | undefined;
  readonly log: AssetLogger;
  /** Aborted when the process shuts down. */
  readonly signal: AbortSignal;
  /** The resources the sensor names in `resources`, shared with the steps of its isolate. */
  readonly resources: Resources;
}

/** What a sensor found since its cursor. */
export interface SensorResult {
  /** The new cursor, saved in the same transaction as the observations and run requests. */
  readonly cursor?: string;
  /** External assets that changed: each is recorded and triggers automated downstream assets. */
  readonly observations?: ReadonlyArray<{ assetKey: string; dataVersion?: string; metadata?: Record<string, unknown> }>;
  /**
   * Runs to start; `runKey` makes a request idempotent (the same key never starts two runs);
   * `partitions` names the partitions of partitioned assets (default: their current ones).
   */
  readonly runRequests?: ReadonlyArray<{
    selection: string;
    runKey?: string;
    partitions?: readonly string[] | { from: string; to: string };
  }>;
}

/** A user function Weir calls at an interval, with a durable cursor. */
export interface Sensor {
  readonly kind: 'sensor';
  readonly name: string;
  readonly intervalMs: number;
  readonly description: string | undefined;
  readonly definedAt: string;
  /** Resources by the names `ctx.resources` gives them. */
  readonly resources: ResourceMap;
  readonly evaluate: (ctx: SensorContext<Readonly<Record<string, unknown>>>) => SensorResult | Promise<SensorResult>;
}

/**
 * Declares a sensor: `evaluate` is called every `interval` by the scheduling server with the
 * cursor it last returned, and reports what changed outside Weir.
 *
 * @example
 * ```ts
 * export const drops = sensor({
 *   name: 'vendor_drops',
 *   interval: '30s',
 *   evaluate: async ({ cursor }) => {
 *     const files = (await readdir(DROP_DIR)).filter((f) => !cursor || f > cursor).sort();
 *     return { cursor: files.at(-1) ?? cursor, observations: files.map((f) => ({ assetKey: 'vendor/fx_rates', dataVersion: f })) };
 *   },
 * });
 * ```
 */
export function sensor<const R extends ResourceMap = Record<never, never>>(spec: {
  name: string;
  interval: Duration;
  description?: string;
  /** Resources `evaluate` uses, as `ctx.resources` (see {@link resource}). */
  resources?: R;
  evaluate: (ctx: SensorContext<ResourceInstances<R>>) => SensorResult | Promise<SensorResult>;
}): Sensor {
  const definedAt = callerLocation();
  const culprit = [{ key: `sensor:${String(spec.name)}`, definedAt }];
  if (typeof spec.name !== 'string' || !/^[a-z0-9][a-z0-9_-]*$/.test(spec.name)) {
    throw new AssetDefinitionError(
      `invalid sensor name ${JSON.stringify(spec.name)}: use lowercase words joined by '_' or '-'`,
      culprit,
    );
  }
  let intervalMs: number;
  try {
    intervalMs = parseDuration(spec.interval);
  } catch (error) {
    throw new AssetDefinitionError(
      `sensor '${spec.name}' has an invalid interval: ${(error as Error).message}`,
      culprit,
    );
  }
  if (intervalMs < 100) throw new AssetDefinitionError(`sensor '${spec.name}' has an interval under 100ms`, culprit);
  if (typeof spec.evaluate !== 'function')
    throw new AssetDefinitionError(`sensor '${spec.name}' has no evaluate function`, culprit);
  const resources = resourcesProblem(spec.resources);
  if (resources) throw new AssetDefinitionError(`sensor '${spec.name}' ${resources}`, culprit);
  return Object.freeze({
    kind: 'sensor' as const,
    name: spec.name,
    intervalMs,
    description: spec.description,
    definedAt,
    resources: Object.freeze({ ...(spec.resources ?? {}) }),
    evaluate: spec.evaluate as Sensor['evaluate'],
  });
}

/** True for what {@link sensor} returns. */
export function isSensor(value: unknown): value is Sensor {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'sensor' &&
    typeof (value as { name?: unknown }).name === 'string'
  );
}

/** The sensors exported by a project module (also inside exported arrays and plain objects). */
export function collectSensors(moduleExports: Record<string, unknown>): Sensor[] {
  const found = new Set<Sensor>();
  for (const value of Object.values(moduleExports)) {
    const candidates = Array.isArray(value)
      ? value
      : typeof value === 'object' && value !== null && !isSensor(value)
        ? Object.values(value)
        : [value];
    for (const candidate of candidates) if (isSensor(candidate)) found.add(candidate);
  }
  const sensors = [...found];
  const names = new Set<string>();
  for (const s of sensors) {
    if (names.has(s.name)) {
      throw new AssetDefinitionError(
        `two sensors are named '${s.name}'`,
        sensors.filter((x) => x.name === s.name).map((x) => ({ key: `sensor:${x.name}`, definedAt: x.definedAt })),
      );
    }
    names.add(s.name);
  }
  return sensors;
}
