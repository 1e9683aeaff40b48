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

// The secrets this thread resolved (every resource config with a secret() in it). A process or
// isolate learns them when it loads the definitions, before any user code runs.
const known: SecretValue[] = [];

/** Adds secrets to the ones {@link redactSecrets} removes in this thread. */
export function rememberSecrets(secrets: readonly SecretValue[]): void {
  for (const s of secrets) {
    if (!known.some((k) => k.value === s.value)) known.push(s);
  }
}

/** Redacts every secret this thread knows from a string or the strings of a JSON-like value. */
export function redactSecrets<T>(value: T): T {
  if (known.length === 0) return value;
  return typeof value === 'string' ? (redactText(value, known) as T) : redactDeep(value, known);
}
