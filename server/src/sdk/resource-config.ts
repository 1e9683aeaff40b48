/**
 * Environment-driven resource configuration: `env()`, `secret()` and `byEnv()` markers,
 * resolved once when definitions load so a missing variable fails early, naming the culprit.
 */

const MARKER = Symbol.for('weir.resource-config-marker');

/** A value read from an environment variable when definitions load. */
export interface EnvMarker {
  readonly [MARKER]: 'env' | 'secret';
  readonly name: string;
  readonly fallback?: string;
}

/** A value chosen by `WEIR_ENV` (e.g. `dev`, `staging`, `prod`). */
export interface ByEnvMarker<T> {
  readonly [MARKER]: 'byEnv';
  readonly values: Readonly<Record<string, T>>;
}

/** Reads `name` from the environment; `fallback` is used when it is unset. */
export function env(name: string, fallback?: string): EnvMarker {
  return { [MARKER]: 'env', name, fallback };
}

/** Like {@link env}, but the value is redacted from every log line, event and error. */
export function secret(name: string): EnvMarker {
  return { [MARKER]: 'secret', name };
}

/** Picks a value by `WEIR_ENV` (default `dev`); `default` applies to unlisted environments. */
export function byEnv<T>(values: Readonly<Record<string, T>>): ByEnvMarker<T> {
  return { [MARKER]: 'byEnv', values };
}

/** The type a config value has once its markers are resolved. */
export type Resolved<C> = C extends EnvMarker
  ? string
  : C extends ByEnvMarker<infer T>
    ? Resolved<T>
    : C extends readonly unknown[]
      ? { [K in keyof C]: Resolved<C[K]> }
      : C extends object
        ? { [K in keyof C]: Resolved<C[K]> }
        : C;

/** A secret's value and the variable it came from, for redaction. */
export interface SecretValue {
  readonly name: string;
  readonly value: string;
}

function isMarker(v: unknown): v is EnvMarker | ByEnvMarker<unknown> {
  return typeof v === 'object' && v !== null && MARKER in v;
}

/**
 * Resolves every marker in `config`. Throws naming the resource and the variable when one
 * is missing, and collects secret values into `secrets` so they can be redacted.
 */
export function resolveConfig<C>(
  resourceKey: string,
  config: C,
  source: NodeJS.ProcessEnv,
  secrets: SecretValue[],
): Resolved<C> {
  const weirEnv = source.WEIR_ENV ?? 'dev';
  const walk = (v: unknown, path: string): unknown => {
    if (isMarker(v)) {
      if (v[MARKER] === 'byEnv') {
        const values = (v as ByEnvMarker<unknown>).values;
        const chosen = weirEnv in values ? values[weirEnv] : values.default;
        if (chosen === undefined) {
          throw new Error(
            `resource "${resourceKey}": config ${path} has no value for WEIR_ENV=${weirEnv} (known: ${Object.keys(values).join(', ')})`,
          );
        }
        return walk(chosen, path);
      }
      const m = v as EnvMarker;
      const value = source[m.name] ?? m.fallback;
      if (value === undefined) {
        throw new Error(`resource "${resourceKey}": environment variable ${m.name} is not set (config ${path})`);
      }
      if (m[MARKER] === 'secret' && value !== '') secrets.push({ name: m.name, value });
      return value;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}[${i}]`));
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, path ? `${path}.${k}` : k)]));
    }
    return v;
  };
  return walk(config, '') as Resolved<C>;
}
