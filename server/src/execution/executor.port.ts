/** A request to run one step. Delivery may repeat: the step runner makes it idempotent. */
export interface StepJob {
  readonly runId: string;
  readonly stepId: string;
  /**
   * The attempt this delivery is meant to start (1 for the first). Queues use it to drop a
   * second copy of the same job while the first is still waiting.
   */
  readonly attempt: number;
}

/** How a job should be delivered. */
export interface DispatchOptions {
  /** Deliver no sooner than this many milliseconds from now. */
  readonly delayMs?: number;
}

/** The jobs an executor holds now, by state (for `/metrics`). */
export interface ExecutorJobCounts {
  /** Ready to run, not started yet. */
  readonly waiting: number;
  /** Held back until a delay has passed. */
  readonly delayed: number;
  /** Running now: in this process (in-process), or on any worker (a queue). */
  readonly active: number;
}

/** Runs one delivered job to its end (success, failure or a scheduled retry). */
export type StepHandler = (job: StepJob) => Promise<void>;

/**
 * The seam between the engine and where steps run: in this process with bounded
 * concurrency (embedded), or on queue workers (distributed). The database is the source of
 * truth; an executor only delivers, at least once. Every implementation passes the shared
 * executor suite (server/test/support/executor-conformance.ts).
 */
export interface Executor {
  /** Starts delivering jobs to `handler` (a producer-only executor never calls it). */
  start(handler: StepHandler): Promise<void>;
  /** Hands a step over for execution. Resolves once the job is accepted, not when it ends. */
  dispatch(job: StepJob, options?: DispatchOptions): Promise<void>;
  /** Hands several steps over at once (one round trip to a queue). */
  dispatchAll(jobs: readonly StepJob[]): Promise<void>;
  /**
   * Whether the job is still waiting or running in the executor. The reconciler re-dispatches
   * steps the database says are queued when their job is gone (a restarted or flushed Redis).
   */
  isPending(job: StepJob): Promise<boolean>;
  /** Jobs accepted but not finished, as far as this process knows. */
  inFlight(): number;
  /** Stops taking jobs and waits for running ones to end. */
  stop(): Promise<void>;
  /**
   * Checks that the executor can take jobs now (its queue answers), for `/readyz`. Rejects with
   * an error naming the queue, without credentials. An executor without it counts as ready.
   */
  ping?(): Promise<void>;
  /** The jobs the executor holds now, when it can tell (for `/metrics`). */
  jobCounts?(): Promise<ExecutorJobCounts>;
}

/** The queue's id of a job: one per step attempt, so duplicates of it collapse. */
export function jobIdOf(job: StepJob): string {
  return `${job.stepId}.${job.attempt}`;
}
