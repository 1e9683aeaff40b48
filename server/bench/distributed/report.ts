import { availableParallelism } from 'node:os';
import { BULLMQ_CONCURRENCY, WORKER_CONCURRENCY, BullMqFigures, ConfigurationFigures } from './figures.js';

// ---------------------------------------------------------------------------------------------
// Report

export function report(baseline: BullMqFigures, configurations: readonly ConfigurationFigures[]): void {
  const rawPerSecond = baseline.jobs / (baseline.ms / 1000);
  console.log(
    [
      `raw BullMQ no-op jobs          ${String(baseline.jobs).padStart(5)} jobs `,
      seconds(baseline.ms),
      `${fixed(rawPerSecond).padStart(5)} jobs/s `,
      `(baseline: 1 Queue + 1 Worker in the bench process, concurrency ${BULLMQ_CONCURRENCY}; addBulk ${ms(baseline.addBulkMs)} of it)`,
    ].join('  '),
  );
  console.log(
    `weir distributed: 1 \`weir server\` + N \`weir worker --concurrency ${WORKER_CONCURRENCY}\` processes on ${availableParallelism()} cpus, fresh PostgreSQL database each, same Redis (FLUSHALL)`,
  );
  for (const config of configurations) {
    const { wide } = config;
    const perSecond = wide.steps / (wide.wallMs / 1000);
    const runPerSecond = wide.steps / (wide.runMs / 1000);
    console.log(
      [
        `no-op steps, ${config.workers} worker${config.workers === 1 ? ' ' : 's'} x${WORKER_CONCURRENCY}  ${String(wide.steps).padStart(5)} steps`,
        seconds(wide.wallMs),
        `${fixed(perSecond).padStart(5)} steps/s`,
        `(${ratio(perSecond / rawPerSecond)} raw BullMQ)`,
        `run's own startedAt→endedAt ${seconds(wide.runMs).trim()} = ${fixed(runPerSecond)} steps/s`,
        `POST answered in ${ms(wide.postMs)} (planning, createdAt→startedAt, ${ms(wide.planMs)}; then ${wide.steps} dispatches)`,
      ].join('  '),
    );
  }
  console.log(
    `dispatch latency, step ready → worker start (attempt 1: attempts.started_at, the worker's clock at claim, − steps.queued_at, PostgreSQL now() = start of the transaction that made it ready, so its commit is included; same machine, same clock):`,
  );
  for (const config of configurations) {
    const { wideLatency: w, chainLatency: c } = config;
    console.log(
      [
        `  ${config.workers} worker${config.workers === 1 ? ' ' : 's'}`,
        `wide run (${w.count} ready at once, includes waiting for a free slot): p50 ${ms(w.p50)}  p99 ${ms(w.p99)}  max ${ms(w.max)}`,
        `chain (${c.count} steps, one ready at a time): p50 ${ms(c.p50)}  p99 ${ms(c.p99)}  max ${ms(c.max)}`,
        `chain ${(c.count / (config.chain.runMs / 1000)).toFixed(1)} steps/s`,
      ].join('  |  '),
    );
  }
  console.log(
    "during the wide run (CPU seconds from /proc; PostgreSQL sessions of the run's database sampled every 100 ms):",
  );
  for (const config of configurations) {
    const { cpu, wide, sessions: db } = config;
    const perStep = (cpuSeconds: number) => `${((cpuSeconds * 1000) / wide.steps).toFixed(1)} ms/step`;
    const label = `  ${config.workers} worker${config.workers === 1 ? ' ' : 's'}`;
    const indent = ' '.repeat(label.length);
    console.log(
      cpu
        ? `${label}  CPU: workers ${cpu.workers.toFixed(1)} s (${perStep(cpu.workers)}), postgres ${cpu.postgres.toFixed(1)} s (${perStep(cpu.postgres)}), server ${cpu.server.toFixed(1)} s, redis ${cpu.redis.toFixed(1)} s, bench ${cpu.bench.toFixed(1)} s, other ${cpu.other.toFixed(1)} s (${[...cpu.topOthers.map((o) => `${o.name} ${o.cpu.toFixed(1)} s`), `unattributed ${cpu.unattributed.toFixed(1)} s`].join(', ')}); machine ${(cpu.machineBusy * 100).toFixed(0)}% busy`
        : `${label}  CPU: not measured (no /proc)`,
    );
    console.log(
      `${indent}  PostgreSQL: ${db.active.toFixed(1)} active sessions, ${db.lockWaits.toFixed(1)} waiting for a lock (in ${(db.samplesWithLockWait * 100).toFixed(0)}% of ${db.samples} samples), ${db.idleInTransaction.toFixed(1)} idle in transaction; active sessions' waits: ${db.topWaits.map((wait) => `${wait.event} ${(wait.share * 100).toFixed(0)}%`).join(', ')}`,
    );
    if (db.topLockedStatement)
      console.log(
        `${indent}  most frequent statement waiting for a lock (${(db.topLockedStatement.share * 100).toFixed(0)}% of lock waits): ${abbreviate(db.topLockedStatement.statement)}`,
      );
    console.log(
      `${indent}  HTTP: ${wide.polls} polls, GET /api/runs/:id ${ms(wide.pollMs)} each; server + workers up in ${seconds(config.startupMs).trim()}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function listFromEnv(name: string, fallback: readonly number[]): readonly number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isSafeInteger(value) || value < 1 || value > 32))
    throw new Error(`${name} must be a comma-separated list of worker counts from 1 to 32, got "${raw}"`);
  return values;
}

/** The start and the end of a long SQL statement. */
export function abbreviate(statement: string): string {
  return statement.length <= 160 ? statement : `${statement.slice(0, 70)} … ${statement.slice(-80)}`;
}

export function seconds(value: number): string {
  return `${(value / 1000).toFixed(1).padStart(5)} s`;
}

export function ms(value: number): string {
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ms`;
}

export function fixed(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function ratio(value: number): string {
  return `${value.toFixed(value < 0.1 ? 3 : 2)}x`;
}
