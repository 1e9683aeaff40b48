import type { LogFields } from '../sdk/context.js';

/** Log fields as JSON can hold them (bigints as strings); unserializable fields say so instead. */
export function toJsonSafe(fields: LogFields): Record<string, unknown> {
  try {
    return JSON.parse(
      JSON.stringify(fields, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
    ) as Record<string, unknown>;
  } catch {
    return { unserializable: String(fields) };
  }
}
