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
  return { kind: 'resource', ...spec };
}

/** The instances a step sees as `ctx.resources`, typed from its `resources` map. */
export type ResourceInstances<R> = { [K in keyof R]: R[K] extends Resource<unknown, infer T> ? T : never };

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
    this.resolved.set(res.key, { res, config: resolveConfig(res.key, res.config, this.source, this.secrets) });
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
    }
    return p;
  }

  /** Instances for a step's `resources` map, keyed by the names the step chose. */
  async forStep(map: Readonly<Record<string, Resource>>): Promise<Record<string, unknown>> {
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
      try {
        const inst = await p;
        await res.dispose?.(inst);
      } catch (e) {
        errors.push(new Error(`resource "${key}" dispose failed: ${(e as Error).message}`));
      }
    }
    this.instances.clear();
    return errors;
  }
}
