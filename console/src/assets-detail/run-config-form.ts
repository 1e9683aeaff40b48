/**
 * Turns an asset's run config JSON Schema into form fields, and the form's values back into a
 * config object. Covers what config schemas are made of (objects of strings, numbers, integers,
 * booleans and enums, nested objects); anything else becomes a JSON field, and a schema that is
 * not an object (or that the library could not describe) a single JSON field for the whole value.
 * The server validates what is sent, so the form only has to be helpful, not exhaustive.
 */

/** The part of JSON Schema the form reads. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  title?: string;
  minimum?: number;
  maximum?: number;
}

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

/** One input of the form. `path` is empty for a whole-config JSON field. */
export interface ConfigField {
  readonly path: readonly string[];
  readonly label: string;
  readonly kind: FieldKind;
  readonly required: boolean;
  readonly options: readonly string[];
  readonly description: string | undefined;
  readonly min: number | undefined;
  readonly max: number | undefined;
  /** The field's initial text (the schema's default, when it has one). */
  readonly initial: string;
}

// Zod writes ±MAX_SAFE_INTEGER as the bounds of every integer: not worth showing.
const bound = (value: number | undefined) =>
  value === undefined || Math.abs(value) >= Number.MAX_SAFE_INTEGER ? undefined : value;

/** The fields of a config schema, nested objects flattened into dotted labels. */
export function configFields(schema: JsonSchema | null): ConfigField[] {
  if (!schema || schema.type !== 'object' || !schema.properties) return [jsonField([], '(config)', true, undefined)];
  return objectFields(schema, []);
}

function objectFields(schema: JsonSchema, prefix: readonly string[]): ConfigField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => {
    const path = [...prefix, name];
    if (property.type === 'object' && property.properties) return objectFields(property, path);
    return [fieldOf(path, property, required.has(name))];
  });
}

function fieldOf(path: readonly string[], schema: JsonSchema, required: boolean): ConfigField {
  const label = path.join('.');
  const base = {
    path,
    label,
    required,
    description: schema.description,
    min: bound(schema.minimum),
    max: bound(schema.maximum),
  };
  if (Array.isArray(schema.enum) && schema.enum.every((value) => typeof value === 'string')) {
    return { ...base, kind: 'enum', options: schema.enum as string[], initial: stringOf(schema.default) };
  }
  if (schema.type === 'string' || schema.type === 'number' || schema.type === 'integer' || schema.type === 'boolean') {
    return { ...base, kind: schema.type, options: [], initial: stringOf(schema.default) };
  }
  return jsonField(path, label, required, schema.default);
}

function jsonField(path: readonly string[], label: string, required: boolean, initial: unknown): ConfigField {
  return {
    path,
    label,
    kind: 'json',
    required,
    options: [],
    description: undefined,
    min: undefined,
    max: undefined,
    initial: initial === undefined ? '' : JSON.stringify(initial),
  };
}

function stringOf(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** A value the form cannot turn into config (the message names the field). */
export class ConfigFormError extends Error {}

/**
 * The config object for the form's values (text by field label). Empty fields are left out, so
 * the schema's defaults apply; numbers and JSON are parsed; the server checks the rest.
 */
// Values are text, but v-model on a number input hands over numbers.
export function configFromForm(fields: readonly ConfigField[], values: Readonly<Record<string, unknown>>): unknown {
  let config: Record<string, unknown> = {};
  for (const field of fields) {
    const text = String(values[field.label] ?? '').trim();
    if (text === '' && field.kind !== 'boolean') continue;
    const value = parseField(field, text);
    if (field.path.length === 0) return value;
    config = setPath(config, field.path, value);
  }
  return config;
}

function parseField(field: ConfigField, text: string): unknown {
  switch (field.kind) {
    case 'number':
    case 'integer': {
      const value = Number(text);
      if (!Number.isFinite(value)) throw new ConfigFormError(`${field.label}: '${text}' is not a number`);
      return value;
    }
    case 'boolean':
      return text === 'true';
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new ConfigFormError(`${field.label}: not valid JSON`);
      }
    default:
      return text;
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) return { ...target, [head]: value };
  const inner = (target[head] ?? {}) as Record<string, unknown>;
  return { ...target, [head]: setPath(inner, rest, value) };
}
