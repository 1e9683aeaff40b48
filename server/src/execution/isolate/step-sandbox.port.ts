import type { SensorTaskResult, StepTask, StepTaskResult } from './step-task.js';
import type { StopKind, TaskHandlers } from './task-supervisor.js';

/** A step as the engine hands it to a sandbox: the channel and the definitions are the sandbox's. */
export type StepRequest = Omit<StepTask, 'type' | 'port' | 'definitions' | 'objectStore'>;

/** The limits the engine resolved for one attempt (asset option over project default). */
export interface StepLimits {
  readonly timeoutMs: number | undefined;
  readonly memoryBytes: number | undefined;
}

/** A task under way. */
export interface RunningTask<Result> {
  /** The isolate's outcome; rejects with an `IsolateFailure` when it was stopped or died. */
  readonly outcome: Promise<Result>;
  /** Aborts the task's signal, and terminates it after the grace period if it goes on. */
  stop(kind: StopKind, message: string): void;
}

/**
 * Where user code runs. The engine's thread keeps the database, the queue, heartbeats and the
 * API; a sandbox runs `materialize`, checks and sensors, and reports through a narrow protocol
 * (logs, checkpoints, the outcome). The worker-thread pool is the sandbox of every Weir process;
 * the inline one runs on the caller's thread, for engines built from in-memory definitions
 * (tests of the engine itself, and the benchmark's baseline).
 */
export interface StepSandbox {
  runStep(request: StepRequest, handlers: TaskHandlers, limits: StepLimits): RunningTask<StepTaskResult>;
  runSensor(sensorName: string, cursor: string | undefined, handlers: TaskHandlers): RunningTask<SensorTaskResult>;
  /**
   * Loads the definitions into the isolates ahead of the first step, so that they run the code
   * the engine loaded even if the files change again before then. Rejects with the reason when
   * the isolates could not load them, or loaded other ones.
   */
  warm(): Promise<void>;
  /**
   * The definitions were reloaded (`weir dev`): later tasks run them, in fresh isolates, warmed
   * before this resolves. Tasks under way finish on the code they started with.
   */
  definitionsChanged(graphHash: string): Promise<void>;
  /** Ends every isolate (after the engine has stopped its steps). */
  close(): Promise<void>;
}
