import type { MessagePort } from 'node:worker_threads';
import type { EncodedOutput } from '../../io/payload-codec.js';
import type { PayloadRef } from '../../sdk/payload-ref.js';
import type { MetadataValue } from '../../sdk/context.js';
import type { SensorResult } from '../../sdk/sensor.js';
import type { CheckRecord } from '../../runs/check-results.js';
import type { TableColumn, TableMetadata } from '../../sdk/table-metadata.js';
import type { OutputValueType } from '../../storage/entities/materialization.entity.js';
import type { EventLevel } from '../../storage/entities/event.entity.js';

/*
 * The protocol between the engine and an isolate (a pooled worker thread running user code).
 * Everything here is structured-cloneable and small: payloads never cross, the isolate reads
 * and writes the object store itself and only references travel.
 */

/** Where an isolate finds the definitions: the project's entry module, at a given graph hash. */
export interface DefinitionsSource {
  readonly entry: string;
  /** The hash of the graph the engine planned with; the isolate checks it loaded the same. */
  readonly graphHash: string;
}

/** How an isolate opens the object store (it builds its own client from the same settings). */
export interface ObjectStoreSettings {
  readonly url: string | undefined;
  readonly defaultRoot: string;
}

/** A stored upstream output, decoded into its value inside the isolate. */
export interface StoredValue {
  readonly valueType: OutputValueType;
  readonly inline: unknown;
  readonly ref: PayloadRef | null;
  /** What was recorded about a table output (null for other outputs and older rows). */
  readonly table?: TableMetadata | null;
}

/** One input of a step, as the engine found it in the database. */
export type InputDescriptor =
  /** An upstream output. */
  | { readonly kind: 'stored'; readonly stored: StoredValue }
  /** Many partitions of an upstream, in partition order. */
  | { readonly kind: 'partitions'; readonly partitions: ReadonlyArray<readonly [string, StoredValue]> }
  /** A plain value, e.g. a source asset's latest observation. */
  | { readonly kind: 'value'; readonly value: unknown };

/** Runs one attempt of an asset. */
export interface StepTask {
  readonly type: 'step';
  readonly definitions: DefinitionsSource;
  readonly objectStore: ObjectStoreSettings;
  readonly assetKey: string;
  readonly runId: string;
  readonly stepId: string;
  readonly attemptId: string;
  readonly attemptNumber: number;
  readonly partitionKey: string;
  /** `runs/<runId>/<stepId>/<attemptId>`: where the attempt's objects go. */
  readonly keyPrefix: string;
  readonly inlineLimit: number;
  readonly inputs: Readonly<Record<string, InputDescriptor>>;
  /**
   * The columns of the latest table materialization of this asset and partition, so that the
   * isolate can record the schema change (and a schema check block on it). Absent: none.
   */
  readonly previousTableColumns?: readonly TableColumn[];
  /** What an earlier attempt checkpointed (`ctx.resume`). */
  readonly resume: unknown;
  /** This asset's entry of the run's config, as stored (`undefined`: none given); parsed into `ctx.config`. */
  readonly config: unknown;
  /**
   * Other outputs of this asset's multi-asset that this attempt produces too (their steps wait
   * on this one): the function runs once for all of them. Absent or empty: this output alone.
   */
  readonly siblings?: readonly string[];
  /** The isolate's end of the attempt's channel (logs, checkpoints, abort, the result). */
  readonly port: MessagePort;
}

/** Evaluates one sensor. */
export interface SensorTask {
  readonly type: 'sensor';
  readonly definitions: DefinitionsSource;
  readonly sensorName: string;
  readonly cursor: string | undefined;
  readonly port: MessagePort;
}

/** Loads the definitions ahead of the first step (a pool being warmed up). */
export interface LoadTask {
  readonly type: 'load';
  readonly definitions: DefinitionsSource;
  readonly port: MessagePort;
}

/**
 * Disposes the resources this isolate created (the pool is closing). One is sent per thread;
 * each holds its thread until all have started (`barrier` counts them), so that no thread
 * takes two and leaves another without.
 */
export interface DisposeTask {
  readonly type: 'dispose';
  /** An Int32Array's buffer: slot 0 counts the dispose tasks that started. */
  readonly barrier: SharedArrayBuffer;
  readonly threads: number;
  /** Longest a task waits at the barrier (a thread still busy never takes its task). */
  readonly waitMs: number;
}

export type IsolateTask = StepTask | SensorTask | LoadTask | DisposeTask;

/** What a dispose task reports: the resources whose `dispose` failed, and why. */
export type DisposeTaskResult = readonly string[];

/** What the isolate reports after loading the definitions. */
export type LoadTaskResult = { readonly ok: true } | { readonly ok: false; readonly error: SerializedError };

/** An error as it crosses the boundary. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | null;
  /** Decided in the isolate, where the asset's own error classes exist. */
  readonly nonRetryable: boolean;
  /** A failure of Weir's making around the user code (definitions not loadable, changed): never retried. */
  readonly system?: boolean;
}

/** What the isolate reports at the end of a step. */
export type StepTaskResult =
  | {
      readonly ok: true;
      readonly output: EncodedOutput;
      readonly metadata: Record<string, MetadataValue>;
      readonly checks: CheckRecord[];
      /** The sibling outputs' results, one per {@link StepTask.siblings} entry, in that order. */
      readonly siblings?: readonly SiblingOutputResult[];
    }
  | { readonly ok: false; readonly error: SerializedError };

/** One more output of a multi-asset step, stored and checked like the step's own. */
export interface SiblingOutputResult {
  readonly assetKey: string;
  readonly output: EncodedOutput;
  readonly checks: CheckRecord[];
}

/** What the isolate reports at the end of a sensor's evaluation. */
export type SensorTaskResult =
  { readonly ok: true; readonly result: SensorResult } | { readonly ok: false; readonly error: SerializedError };

/** Isolate → engine, on the attempt's channel. */
export type IsolateMessage =
  /** The definitions are loaded and the user code starts: its time limit runs from here. */
  | { readonly type: 'started' }
  | {
      readonly type: 'log';
      readonly level: EventLevel;
      readonly message: string;
      readonly data: Record<string, unknown>;
    }
  /** Save this checkpoint (already serialized); answered by `checkpoint-saved`. */
  | { readonly type: 'checkpoint'; readonly id: number; readonly json: string }
  /** The last message of a task: its outcome. */
  | { readonly type: 'result'; readonly result: StepTaskResult | SensorTaskResult | LoadTaskResult };

/** Engine → isolate, on the attempt's channel. */
export type EngineMessage =
  | { readonly type: 'checkpoint-saved'; readonly id: number; readonly error?: SerializedError }
  /** Abort `ctx.signal` (timeout, cancel, shutdown). */
  | { readonly type: 'abort'; readonly reason: string };

/** Turns anything thrown into its {@link SerializedError}. */
export function serializeError(error: unknown, nonRetryable = false, system = false): SerializedError {
  if (error instanceof Error) {
    return { name: error.name, message: error.message || error.name, stack: error.stack ?? null, nonRetryable, system };
  }
  return { name: 'Error', message: `non-Error value thrown: ${String(error)}`, stack: null, nonRetryable, system };
}
