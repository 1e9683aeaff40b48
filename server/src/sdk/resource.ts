import { rememberSecrets } from './redact.js';
import { resolveConfig, type Resolved, type SecretValue } from './resource-config.js';

/** What a resource's `create` is given. */
export interface ResourceInitContext {
  /** The key of the resource being created. */
  readonly key: string;
  /** `WEIR_ENV`, `dev` when unset. */
  readonly weirEnv: string;
}

/**
 * A connection (warehouse, API client, bucket) declared once and named by assets, sensors
 * and checks (`resources: { warehouse }`); injected as `ctx.resources.warehouse`.
 */
export interface Resource<C = unknown, T = unknown> {
  readonly kind: 'resource';
  readonly key: string;
  readonly config: C;
  // Method syntax (bivariant) so any Resource<C, T> fits a Resource map of unknowns.
  create(config: Resolved<C>, ctx: ResourceInitContext): T | Promise<T>;
  dispose?(instance: T): void | Promise<void>;
}

/** Declares a resource; `config` may hold `env()`, `secret()` and `byEnv()` markers. */
export function resource<C, T>(spec: {
  key: string;
  config: C;
  create: (config: Resolved<C>, ctx: ResourceInitContext) => T | Promise<T>;
  dispose?: (instance: T) => void | Promise<void>;
}): Resource<C, T> {
  if (!/^[A-Za-z_][\w-]*$/.test(spec.key)) throw new Error(`resource key "${spec.key}" is not a valid name`);
  if (typeof spec.create !== 'function') throw new Error(`resource "${spec.key}" has no create function`);
  return Object.freeze({ kind: 'resource' as const, ...spec });
}

const FAILED = Symbol('create failed');

/** The resources a step names, by the names `ctx.resources` gives them: `{ warehouse }`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: any Resource<C, T> fits
export type ResourceMap = Readonly<Record<string, Resource<any, any>>>;

/** The instances a step sees as `ctx.resources`, typed from its `resources` map. */
export type ResourceInstances<R> = {
  readonly [K in keyof R]: R[K] extends Resource<infer _C, infer T> ? Awaited<T> : never;
};

/** True for what {@link resource} returns. */
export function isResource(value: unknown): value is Resource {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'resource';
}

/** What is wrong with a `resources` option, or `undefined` when it is a map of resources. */
export function resourcesProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `has resources that are not an object of resource(...) values (got ${Array.isArray(value) ? 'an array' : typeof value})`;
  }
  for (const [name, res] of Object.entries(value)) {
    if (!isResource(res)) {
      return `has resource '${name}' that is not made by resource(...) (got ${res === undefined ? 'undefined — is it defined later in the file or in an import cycle?' : typeof res})`;
    }
  }
  return undefined;
}

/**
 * The `ctx.resources` of one step, check or sensor: its map's instances from `registry`, by
 * the names it chose; `overrides` (a test's fakes) replace instances by name.
 */
export function resolveResources(
  map: ResourceMap,
  registry: ResourceRegistry,
  overrides: Readonly<Record<string, unknown>> = {},
): Promise<Record<string, unknown>> {
  const own = Object.fromEntries(Object.entries(map).filter(([name]) => !(name in overrides)));
  return registry.forStep(own).then((instances) => Object.freeze({ ...instances, ...overrides }));
}

/**
 * The resources of one isolate: configs resolved at load (so a missing variable fails
 * then), instances created lazily on first use and disposed once at shutdown.
 */
export class ResourceRegistry {
  private readonly resolved = new Map<string, { res: Resource; config: unknown }>();
  private readonly instances = new Map<string, Promise<unknown>>();
  readonly secrets: SecretValue[] = [];

  constructor(private readonly source: NodeJS.ProcessEnv = process.env) {}

  /** Resolves a resource's config now; throws naming the resource and variable. */
  register(res: Resource): void {
    const known = this.resolved.get(res.key);
    if (known) {
      if (known.res !== res) throw new Error(`two different resources share the key "${res.key}"`);
      return;
    }
    const found: SecretValue[] = [];
    this.resolved.set(res.key, { res, config: resolveConfig(res.key, res.config, this.source, found) });
    this.secrets.push(...found);
    // Known to the whole thread from now on: whatever leaves it is redacted (see redact.ts).
    rememberSecrets(found);
  }

  /** Whether an instance of any resource was created (so there is something to dispose). */
  get created(): boolean {
    return this.instances.size > 0;
  }

  /** The instance for `key`, created on first call and shared afterwards. */
  get(key: string): Promise<unknown> {
    let p = this.instances.get(key);
    if (!p) {
      const entry = this.resolved.get(key);
      if (!entry) return Promise.reject(new Error(`resource "${key}" is not declared`));
      const weirEnv = this.source.WEIR_ENV ?? 'dev';
      p = Promise.resolve().then(() => entry.res.create(entry.config as never, { key, weirEnv }));
      this.instances.set(key, p);
      // A create that failed (the warehouse was down) is tried again by the next step.
      p.catch(() => {
        if (this.instances.get(key) === p) this.instances.delete(key);
      });
    }
    return p;
  }

  /** Instances for a step's `resources` map, keyed by the names the step chose. */
  async forStep(map: ResourceMap): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const [name, res] of Object.entries(map)) {
      this.register(res);
      out[name] = await this.get(res.key);
    }
    return out;
  }

  /** Disposes every created instance; errors are collected, not thrown midway. */
  async disposeAll(): Promise<Error[]> {
    const errors: Error[] = [];
    for (const [key, p] of this.instances) {
      const { res } = this.resolved.get(key)!;
      const inst = await p.catch(() => FAILED);
      if (inst === FAILED) continue; // nothing was created
      try {
        await res.dispose?.(inst);
      } catch (e) {
        errors.push(new Error(`resource "${key}" dispose failed: ${(e as Error).message}`));
      }
    }
    this.instances.clear();
    return errors;
  }
}
