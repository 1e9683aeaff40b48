/** A request to run one step. Delivery may repeat: the step runner makes it idempotent. */
export interface StepJob {
  readonly runId: string;
  readonly stepId: string;
}

/** Runs one delivered job to its end (success, failure or a scheduled retry). */
export type StepHandler = (job: StepJob) => Promise<void>;

/**
 * The seam between the engine and where steps run: in this process with bounded
 * concurrency (embedded), or on queue workers (distributed). The database is the source of
 * truth; an executor only delivers, at least once.
 */
export interface Executor {
  /** Starts delivering jobs to `handler`. */
  start(handler: StepHandler): Promise<void>;
  /** Hands a step over for execution. Resolves once the job is accepted, not when it ends. */
  dispatch(job: StepJob): Promise<void>;
  /** Jobs accepted but not finished. */
  inFlight(): number;
  /** Stops taking jobs and waits for running ones to end. */
  stop(): Promise<void>;
}
