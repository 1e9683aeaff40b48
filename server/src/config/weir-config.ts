import { availableParallelism } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { parseByteSize } from '../sdk/byte-size.js';
import { parseDuration } from '../sdk/duration.js';
import type { RetryPolicySpec } from '../sdk/retry.js';
import { validateRetryPolicy } from '../sdk/retry-validation.js';
import type { QueueBackend } from '../execution/bullmq-executor.js';
import { parseAllowedOrigins } from './allowed-origins.js';

/** Every environment variable Weir reads, with what it means. The README's reference is built from this list. */
export const CONFIG_KEYS = {
  WEIR_PROJECT: 'Asset module (file or folder) to load. Default ./assets',
  WEIR_DATA_DIR: 'Embedded data directory (PGlite database, filesystem object store, lock). Default ./.weir',
  WEIR_DATABASE_URL: 'PostgreSQL URL; when set, metadata lives there instead of PGlite',
  WEIR_OBJECT_STORE: 'Object store URL: file:///abs/path (default <data dir>/objects) or s3://bucket/prefix',
  WEIR_INLINE_LIMIT: 'Largest serialized output (bytes) stored inline in the database. Default 65536',
  WEIR_PORT: 'HTTP port of `weir dev` / `weir server`. Default 3000',
  WEIR_CONCURRENCY: 'Steps run at once by the in-process executor. Default: CPU count',
  WEIR_RETRY_MAX_ATTEMPTS: 'Default retry policy: total tries per step. Default 3',
  WEIR_RETRY_BACKOFF: "Default retry policy: 'exponential' (default) or 'fixed'",
  WEIR_RETRY_DELAY: 'Default retry policy: base delay. Default 1s',
  WEIR_RETRY_MAX_DELAY: 'Default retry policy: longest delay. Default 5m',
  WEIR_RETRY_JITTER: "Default retry policy: 'full' (default), 'none' or a fraction 0..1",
  WEIR_LOG_LEVEL: "Server log level: 'debug', 'info' (default), 'warn', 'error'",
  WEIR_HOST: 'Address the HTTP API listens on. Default 127.0.0.1 (0.0.0.0 in containers)',
  WEIR_ALLOWED_ORIGINS:
    "Web origins besides the server's own (scheme://host:port as the browser shows it) whose pages may use a console session: comma-separated, e.g. 'https://weir.example.com'. Needed behind a proxy that changes the Host header or terminates TLS without X-Forwarded-Proto",
  WEIR_REDIS_URL: 'Redis URL; when set, steps run on BullMQ workers (`weir worker`) instead of in-process',
  WEIR_QUEUE:
    "Queue backend of the distributed mode: 'redis' (default when WEIR_REDIS_URL is set) or 'postgres' (BullMQ's PostgreSQL backend, in WEIR_DATABASE_URL)",
  WEIR_POOLS: "Concurrency pools and their limits across all workers, e.g. 'warehouse=2,api=5'",
  WEIR_HEARTBEAT_INTERVAL: 'How often a worker records that its running attempts are alive. Default 5s',
  WEIR_LOST_AFTER: 'An attempt whose heartbeat is older than this is declared lost and retried. Default 30s',
  WEIR_STEP_TIMEOUT: "Default longest run of a step attempt (an asset's `timeout` wins), e.g. '2h'. Default: none",
  WEIR_STEP_MEMORY:
    "Default heap limit of a step attempt's isolate (an asset's `memory` wins), e.g. '2GiB'. Default: Node's own",
  WEIR_CANCEL_GRACE:
    'How long a step may take to stop after its ctx.signal aborts (timeout, cancel, shutdown) before its isolate is terminated. Default 5s',
  WEIR_ALERT_WEBHOOK_URL:
    'Alerts (failed runs, freshness changes) are POSTed as JSON to this URL (plugin @weir/alert-webhook). Secret',
  WEIR_API_TOKEN:
    'API token the CLI sends to a running `weir dev` (overrides <data dir>/cli-token), e.g. an operator token for `weir report`. Secret',
  WEIR_ALERT_SLACK_WEBHOOK_URL: 'Slack incoming-webhook URL for alerts (plugin @weir/alert-slack). Secret',
  WEIR_GC_INTERVAL:
    "How often the leading `weir server` (or `weir dev`) deletes orphaned objects (see `weir gc`); 'off' disables it. Default 1h",
  WEIR_GC_SAFETY_WINDOW:
    'Orphaned objects younger than this are kept by `weir gc` (an attempt may be about to commit them). Default 24h',
} as const;

export type ConfigKey = keyof typeof CONFIG_KEYS;

export interface WeirConfig {
  readonly projectPath: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly objectStoreUrl: string | undefined;
  readonly inlineLimit: number;
  readonly port: number;
  readonly concurrency: number;
  readonly retryDefaults: RetryPolicySpec;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Address the HTTP API listens on. */
  readonly host: string;
  /** Origins besides the server's own that may send cookie-authenticated requests (normalized). */
  readonly allowedOrigins: readonly string[];
  /** Where distributed steps are queued; undefined in embedded mode. */
  readonly queue: QueueBackend | undefined;
  /** Concurrency pools and their limits, across all workers. */
  readonly pools: Readonly<Record<string, number>>;
  readonly heartbeatIntervalMs: number;
  readonly lostAfterMs: number;
  /** Default step timeout in milliseconds; `undefined`: none. */
  readonly stepTimeoutMs: number | undefined;
  /** Default heap limit of a step's isolate in bytes; `undefined`: Node's own. */
  readonly stepMemoryBytes: number | undefined;
  /** How long a step may take to stop after its signal aborts before its isolate is terminated. */
  readonly cancelGraceMs: number;
  /** API token the CLI sends to a running `weir dev` instead of `<dataDir>/cli-token` (a secret: never logged). */
  readonly apiToken: string | undefined;
  /** Where alerts are POSTed as JSON (a secret: never logged). */
  readonly alertWebhookUrl: string | undefined;
  /** Slack incoming webhook for alerts (a secret: never logged). */
  readonly alertSlackWebhookUrl: string | undefined;
  /** How often the leader collects orphaned objects; `undefined`: never (`WEIR_GC_INTERVAL=off`). */
  readonly gcIntervalMs: number | undefined;
  /** Orphans younger than this are kept. */
  readonly gcSafetyWindowMs: number;
}

/** A configuration value that does not parse; the message names the variable and the value. */
export class ConfigError extends Error {
  constructor(key: string, value: string, expected: string) {
    super(`${key}=${JSON.stringify(value)} is invalid: expected ${expected}`);
    this.name = 'ConfigError';
  }
}

function integer(env: NodeJS.ProcessEnv, key: ConfigKey, fallback: number, min: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(key, raw, `an integer ≥ ${min}`);
  return value;
}

function retryDefaults(env: NodeJS.ProcessEnv): RetryPolicySpec {
  const jitterRaw = env.WEIR_RETRY_JITTER;
  const jitter =
    jitterRaw === undefined || jitterRaw === ''
      ? 'full'
      : jitterRaw === 'none' || jitterRaw === 'full'
        ? jitterRaw
        : Number(jitterRaw);
  const spec: RetryPolicySpec = {
    maxAttempts: integer(env, 'WEIR_RETRY_MAX_ATTEMPTS', 3, 1),
    backoff: (env.WEIR_RETRY_BACKOFF as 'fixed' | 'exponential' | undefined) || 'exponential',
    delay: env.WEIR_RETRY_DELAY || '1s',
    maxDelay: env.WEIR_RETRY_MAX_DELAY || '5m',
    jitter,
  };
  const problem = validateRetryPolicy(spec);
  if (problem) throw new Error(`the default retry policy from WEIR_RETRY_* is invalid: ${problem}`);
  return spec;
}

function queueBackend(env: NodeJS.ProcessEnv): QueueBackend | undefined {
  const kind = env.WEIR_QUEUE || (env.WEIR_REDIS_URL ? 'redis' : undefined);
  if (kind === undefined) return undefined;
  if (kind === 'redis') {
    if (!env.WEIR_REDIS_URL) throw new ConfigError('WEIR_QUEUE', kind, 'WEIR_REDIS_URL to be set as well');
    if (!/^rediss?:\/\//.test(env.WEIR_REDIS_URL))
      throw new ConfigError('WEIR_REDIS_URL', env.WEIR_REDIS_URL, 'a redis:// URL');
    return { kind, url: env.WEIR_REDIS_URL };
  }
  if (kind === 'postgres') {
    if (!env.WEIR_DATABASE_URL)
      throw new ConfigError('WEIR_QUEUE', kind, 'WEIR_DATABASE_URL to be set (the queue lives in that database)');
    return { kind, url: env.WEIR_DATABASE_URL };
  }
  throw new ConfigError('WEIR_QUEUE', kind, "'redis' or 'postgres'");
}

/** Parses `warehouse=2,api=5`. */
export function parsePools(raw: string | undefined): Record<string, number> {
  const pools: Record<string, number> = {};
  for (const entry of (raw ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([a-z0-9][a-z0-9_-]*)=(\d+)$/i.exec(entry);
    if (!match || Number(match[2]) < 1)
      throw new ConfigError(
        'WEIR_POOLS',
        raw ?? '',
        "entries like 'warehouse=2' (a name and a limit ≥ 1), comma-separated",
      );
    pools[match[1]!] = Number(match[2]);
  }
  return pools;
}

function duration(env: NodeJS.ProcessEnv, key: ConfigKey, fallback: string): number {
  return durationSetting(key, env[key] || fallback);
}

/** Reads the configuration from environment variables; `overrides` (CLI flags) win. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<WeirConfig> = {}): WeirConfig {
  const cwd = process.cwd();
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
  const logLevel = env.WEIR_LOG_LEVEL || 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new ConfigError('WEIR_LOG_LEVEL', logLevel, "'debug', 'info', 'warn' or 'error'");
  }
  const objectStoreUrl = env.WEIR_OBJECT_STORE || undefined;
  if (objectStoreUrl && !/^(file|s3):\/\//.test(objectStoreUrl)) {
    throw new ConfigError('WEIR_OBJECT_STORE', objectStoreUrl, 'a file:/// or s3:// URL');
  }
  const base: WeirConfig = {
    projectPath: absolute(env.WEIR_PROJECT || './assets'),
    dataDir: absolute(env.WEIR_DATA_DIR || './.weir'),
    databaseUrl: env.WEIR_DATABASE_URL || undefined,
    objectStoreUrl,
    inlineLimit: integer(env, 'WEIR_INLINE_LIMIT', 64 * 1024, 0),
    port: integer(env, 'WEIR_PORT', 3000, 0),
    concurrency: integer(env, 'WEIR_CONCURRENCY', availableParallelism(), 1),
    retryDefaults: retryDefaults(env),
    logLevel: logLevel as WeirConfig['logLevel'],
    host: env.WEIR_HOST || '127.0.0.1',
    allowedOrigins: allowedOrigins(env.WEIR_ALLOWED_ORIGINS),
    queue: queueBackend(env),
    pools: parsePools(env.WEIR_POOLS),
    heartbeatIntervalMs: duration(env, 'WEIR_HEARTBEAT_INTERVAL', '5s'),
    lostAfterMs: duration(env, 'WEIR_LOST_AFTER', '30s'),
    stepTimeoutMs: env.WEIR_STEP_TIMEOUT
      ? positive('WEIR_STEP_TIMEOUT', env.WEIR_STEP_TIMEOUT, parseDuration)
      : undefined,
    stepMemoryBytes: env.WEIR_STEP_MEMORY
      ? positive('WEIR_STEP_MEMORY', env.WEIR_STEP_MEMORY, parseByteSize)
      : undefined,
    cancelGraceMs: duration(env, 'WEIR_CANCEL_GRACE', '5s'),
    apiToken: env.WEIR_API_TOKEN?.trim() || undefined,
    alertWebhookUrl: secretUrl(env, 'WEIR_ALERT_WEBHOOK_URL'),
    alertSlackWebhookUrl: secretUrl(env, 'WEIR_ALERT_SLACK_WEBHOOK_URL'),
    gcIntervalMs:
      env.WEIR_GC_INTERVAL?.trim() === 'off'
        ? undefined
        : positive('WEIR_GC_INTERVAL', env.WEIR_GC_INTERVAL || '1h', parseDuration),
    gcSafetyWindowMs: positive('WEIR_GC_SAFETY_WINDOW', env.WEIR_GC_SAFETY_WINDOW || '24h', parseDuration),
  };
  const merged = { ...base, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
  return { ...merged, projectPath: absolute(merged.projectPath), dataDir: absolute(merged.dataDir) };
}

function allowedOrigins(raw: string | undefined): string[] {
  try {
    return parseAllowedOrigins(raw);
  } catch (error) {
    throw new ConfigError(
      'WEIR_ALLOWED_ORIGINS',
      raw ?? '',
      `comma-separated http(s) origins: ${(error as Error).message}`,
    );
  }
}

/** An http(s) URL holding a secret: an error shows its scheme and host only. */
function secretUrl(env: NodeJS.ProcessEnv, key: ConfigKey): string | undefined {
  const raw = env[key];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
    const shown = parsed && parsed.host !== '' ? `${parsed.protocol}//${parsed.host}/…` : '…';
    throw new ConfigError(key, shown, 'an http:// or https:// URL (value not shown: it is a secret)');
  }
  return raw;
}

/** Parses a limit that must be above zero (a timeout, a memory size), naming the variable in the error. */
function positive(key: ConfigKey, raw: string, parse: (value: string) => number): number {
  let value: number;
  try {
    value = parse(raw);
  } catch (error) {
    throw new ConfigError(key, raw, (error as Error).message);
  }
  if (value <= 0) throw new ConfigError(key, raw, 'a limit above 0');
  return value;
}

/** Parses a duration flag or variable, naming it in the error. */
export function durationSetting(name: string, value: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new ConfigError(name, value, (error as Error).message);
  }
}
