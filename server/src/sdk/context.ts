import type { Readable } from 'node:stream';
import type { PayloadRef } from './payload-ref.js';
import type { ExecOptions, ExecResult } from './exec.js';
import type { MetadataValue } from './metadata-value.js';
export type { MetadataValue } from './metadata-value.js';

/** Extra fields on a log line; values must be JSON-serializable. */
export type LogFields = Readonly<Record<string, unknown>>;

/** A structured logger: each line is stored in the run's event log with its fields. */
export interface AssetLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Bytes an asset can hand to the object store. */
export type PayloadBody = Buffer | string | Readable | AsyncIterable<Uint8Array>;

/** The object store as seen from inside `materialize`. */
export interface AssetStore {
  /**
   * Streams `body` to a new, immutable object scoped to this attempt and returns its reference.
   * Return the reference from `materialize` to make it the asset's output.
   * @param name - a file name inside this attempt's folder, e.g. `'orders.csv'`.
   */
  write(name: string, body: PayloadBody, options?: { contentType?: string }): Promise<PayloadRef>;
  /** Opens a stored object for reading, as a stream. */
  open(ref: PayloadRef): Promise<Readable>;
}

/**
 * What `materialize` receives besides its inputs; `Config` is the type of
 * {@link AssetContext.config} (`undefined` for an asset without a config schema), `Resources`
 * the type of {@link AssetContext.resources}.
 */
export interface AssetContext<Config = undefined, Resources = Record<never, never>> {
  /** Key of the asset being materialized. */
  readonly assetKey: string;
  /** Id of the run this step belongs to. */
  readonly runId: string;
  /** Id of the step (one asset, and partition, inside the run). */
  readonly stepId: string;
  /** Id of this try of the step. */
  readonly attemptId: string;
  /** 1 for the first try, 2 for the first retry, … */
  readonly attemptNumber: number;
  /** The partition being materialized, or `undefined` for unpartitioned assets. */
  readonly partition: string | undefined;
  /** Structured logger; lines are kept in the run's event log (`weir logs <run>`). */
  readonly log: AssetLogger;
  /** Aborted when the run is cancelled or the process shuts down: pass it to I/O calls. */
  readonly signal: AbortSignal;
  /** The object store, for outputs that an asset writes itself. */
  readonly store: AssetStore;
  /**
   * The run config for this asset, as its `config` schema parsed it (defaults filled in);
   * `undefined` when the asset declares no schema. The same for every attempt of the run and
   * for its re-executions.
   */
  readonly config: Config;
  /**
   * The resources the asset names in `resources: { warehouse }`, by those names: each is the
   * value its `create` returned, made once per isolate on first use and shared by every step
   * (and check, and sensor) that runs there.
   */
  readonly resources: Resources;
  /**
   * The state passed to the most recent {@link AssetContext.checkpoint} of an earlier attempt
   * of this step, read back from storage (so it went through JSON: a `Date` is now a string).
   * `undefined` on the first attempt, and when no earlier attempt saved a checkpoint.
   *
   * @example Resume a paging loop where the failed attempt left off
   * ```ts
   * const done = ctx.resume as { page: number } | undefined;
   * if (done) ctx.log.info(`resuming from page ${done.page + 1}`);
   * for (let page = (done?.page ?? 0) + 1; page <= lastPage; page++) {
   *   await fetchPage(page, { signal: ctx.signal });
   *   await ctx.checkpoint({ page });
   * }
   * ```
   */
  readonly resume: unknown;
  /**
   * Saves progress durably, so that if this attempt fails the next one resumes from it
   * (as {@link AssetContext.resume}). The returned promise resolves once the checkpoint is
   * committed, in a transaction of its own. Each call appends a `step.checkpoint` event that
   * names its size but never holds the state.
   *
   * `state` must be JSON-serializable; it is captured when `checkpoint` is called. Keep it small,
   * a cursor rather than the data: a state over the inline limit (64 KiB by default) is written
   * to the object store instead of the database, which costs an upload per call.
   *
   * @example Checkpoint after each page of a paged API
   * ```ts
   * for (let page = 1; page <= lastPage; page++) {
   *   rows.push(...(await fetchPage(page)));
   *   await ctx.checkpoint({ page, rowsSoFar: rows.length });
   * }
   * ```
   * @throws TypeError (CheckpointStateError) when `state` is `undefined` or not JSON-serializable;
   *   the message names the offending value's path. Nothing is saved.
   * @throws Error (StaleAttemptError) when this attempt is no longer the step's running attempt
   *   (declared lost, cancelled, finished): a stale attempt cannot overwrite newer progress.
   */
  checkpoint(state: unknown): Promise<void>;
  /**
   * Attaches values shown in the materialization's history (row counts, bytes, …).
   * Later calls add to and override earlier ones.
   */
  metadata(values: Readonly<Record<string, MetadataValue>>): void;
  /**
   * Runs an external program — a Python script, `dbt run`, `spark-submit` — and waits for it.
   * No shell is involved: `command` is the program, `args` its arguments.
   *
   * - Its environment is the isolate's plus `WEIR_RUN_ID`, `WEIR_STEP_ID`, `WEIR_ATTEMPT_ID`,
   *   `WEIR_ATTEMPT_NUMBER`, `WEIR_ASSET_KEY`, `WEIR_PARTITION` (when partitioned), `WEIR_CONFIG`
   *   (the run config as JSON, when there is one) and `options.env`.
   * - Each line it writes to stdout or stderr becomes a line of the run's log as it comes
   *   (stderr lines carry `{ stream: 'stderr' }`).
   * - It may report metadata, checks, log lines and progress with one JSON object per line on
   *   file descriptor 3 (the protocol in the README; `plugins/weir-pipes-python` speaks it):
   *   metadata joins this materialization's, checks are recorded with its check results
   *   (a failed `error` check fails the step, as declared checks do).
   * - When `ctx.signal` aborts (cancel, timeout) the process and every process it started get
   *   `SIGTERM`, then `SIGKILL` after `options.killGraceMs`.
   *
   * @example Run a Python script and return what it reported
   * ```ts
   * export const orders = asset({
   *   key: 'silver/orders',
   *   materialize: async (ctx) => {
   *     const { metadata } = await ctx.exec('python3', ['scripts/orders.py'], { env: { DAY: ctx.partition } });
   *     return { rows: metadata.rows };
   *   },
   * });
   * ```
   * @returns once the process exited with code 0: the metadata and checks it reported.
   * @throws ExternalProcessError when it exits with another code or a signal, or cannot be
   *   started; the message names the command, the exit code and ends with its last stderr lines.
   */
  exec(command: string, args?: readonly string[], options?: ExecOptions): Promise<ExecResult>;
}
