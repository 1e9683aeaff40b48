import type { SecretValue } from './resource-config.js';

/**
 * Replaces every known secret value in `text` with `[redacted:NAME]`. Applied in the isolate
 * to everything that leaves it (logs, errors, metadata), so no secret reaches the engine.
 */
export function redactText(text: string, secrets: readonly SecretValue[]): string {
  let out = text;
  // Longest first, so a secret containing another is replaced whole.
  for (const s of [...secrets].sort((a, b) => b.value.length - a.value.length)) {
    out = out.split(s.value).join(`[redacted:${s.name}]`);
  }
  return out;
}

/** Redacts secrets in every string of a JSON-like value (metadata, log fields). */
export function redactDeep<T>(value: T, secrets: readonly SecretValue[]): T {
  if (secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
