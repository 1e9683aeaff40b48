/**
 * The part of the Standard Schema interface (https://standardschema.dev) Weir uses, copied as the
 * spec recommends so the SDK depends on no schema library: Zod 4, Valibot and ArkType all
 * implement it. `jsonSchema` is the Standard JSON Schema extension (Zod 4.2+), which the console
 * turns into a form.
 */
export interface ConfigSchema<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => ConfigValidation<Output> | Promise<ConfigValidation<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
    readonly jsonSchema?: {
      readonly input: (options: { readonly target: string }) => Record<string, unknown>;
    };
  };
}

/** One problem a schema found, with the path of the offending field. */
export interface ConfigIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** What a {@link ConfigSchema} says about a value: the parsed value, or its issues. */
export type ConfigValidation<Output> =
  { readonly value: Output; readonly issues?: undefined } | { readonly issues: ReadonlyArray<ConfigIssue> };

/**
 * The type of `ctx.config` for a config schema: what the schema outputs (defaults filled in),
 * or `undefined` for an asset that declares no config.
 */
export type ConfigOf<C> = C extends ConfigSchema ? NonNullable<C['~standard']['types']>['output'] : undefined;

/**
 * A run's config did not satisfy an asset's schema, or named an asset it cannot configure.
 * The message names the asset and each offending field's path.
 */
export class RunConfigError extends Error {
  constructor(
    message: string,
    /** The asset whose config is wrong, when one is. */
    readonly assetKey?: string,
  ) {
    super(message);
    this.name = 'RunConfigError';
  }
}

/**
 * Checks `value` against the asset's schema and returns what the schema made of it (defaults
 * filled in, values coerced). An asset given no config is checked with `{}`, so a schema whose
 * fields all have defaults needs none.
 * @throws RunConfigError naming the asset and every invalid field, e.g.
 *   `run config of asset 'silver/orders' is invalid: sampleSize: Too small: expected number to be >=1`.
 */
export async function parseAssetConfig(assetKey: string, schema: ConfigSchema, value: unknown): Promise<unknown> {
  const result = await schema['~standard'].validate(value === undefined ? {} : value);
  if (!result.issues) return result.value;
  const problems = result.issues.map((issue) => `${issuePath(issue) || '(the config itself)'}: ${issue.message}`);
  throw new RunConfigError(`run config of asset '${assetKey}' is invalid: ${problems.join('; ')}`, assetKey);
}

/** `window.days`, `regions[2]`: the field an issue is about. */
function issuePath(issue: ConfigIssue): string {
  let path = '';
  for (const segment of issue.path ?? []) {
    const key = typeof segment === 'object' ? segment.key : segment;
    if (typeof key === 'number') path += `[${key}]`;
    else path += path === '' ? String(key) : `.${String(key)}`;
  }
  return path;
}

/** Whether `value` looks like a Standard Schema (used to validate `asset({ config })`). */
export function isConfigSchema(value: unknown): value is ConfigSchema {
  const standard = (value as { '~standard'?: { validate?: unknown; version?: unknown } } | null)?.['~standard'];
  return typeof standard?.validate === 'function' && standard.version === 1;
}
