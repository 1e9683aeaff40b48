import { redactUrlsIn } from './redact-urls.js';

/** How long each dependency may take to answer before it counts as down. */
export const READINESS_TIMEOUT_MS = 2_000;

/** What `/readyz` checks: the metadata database, the queue (executor) and the object store. */
export type ReadinessCheckName = 'database' | 'queue' | 'objectStore';

const DESCRIPTIONS: Readonly<Record<ReadinessCheckName, string>> = {
  database: 'metadata database',
  queue: 'queue',
  objectStore: 'object store',
};

/** One dependency's answer. `probed: false`: it has no probe (an older plugin), so it is assumed up. */
export interface ReadinessCheck {
  readonly ok: boolean;
  /** How long the check took, in milliseconds. */
  readonly ms: number;
  readonly probed: boolean;
  /** Why it failed, with credentials removed from any URL. */
  readonly error?: string;
}

/** The body of `/readyz`. */
export interface ReadinessReport {
  readonly status: 'ready' | 'not ready';
  /** The checks that failed, e.g. `['objectStore']`. */
  readonly failing: readonly ReadinessCheckName[];
  readonly checks: Readonly<Record<ReadinessCheckName, ReadinessCheck>>;
}

/** A check: resolves when the dependency answered, undefined when there is nothing to probe. */
export type ReadinessProbe = (() => Promise<unknown>) | undefined;

/** Runs every probe at once, each bounded by `timeoutMs`. */
export async function checkReadiness(
  probes: Readonly<Record<ReadinessCheckName, ReadinessProbe>>,
  timeoutMs = READINESS_TIMEOUT_MS,
): Promise<ReadinessReport> {
  const names = Object.keys(probes) as ReadinessCheckName[];
  const results = await Promise.all(names.map((name) => runCheck(name, probes[name], timeoutMs)));
  const checks = Object.fromEntries(names.map((name, i) => [name, results[i]!])) as Record<
    ReadinessCheckName,
    ReadinessCheck
  >;
  const failing = names.filter((name) => !checks[name].ok);
  return { status: failing.length === 0 ? 'ready' : 'not ready', failing, checks };
}

async function runCheck(name: ReadinessCheckName, probe: ReadinessProbe, timeoutMs: number): Promise<ReadinessCheck> {
  if (!probe) return { ok: true, ms: 0, probed: false };
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the ${DESCRIPTIONS[name]} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    // The probe starts inside the race, so a probe that throws synchronously is a failed check too.
    await Promise.race([Promise.resolve().then(probe), timeout]);
    return { ok: true, ms: elapsed(), probed: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, ms: elapsed(), probed: true, error: redactUrlsIn(message) };
  } finally {
    clearTimeout(timer);
  }
}
