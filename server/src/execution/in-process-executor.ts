import {
  jobIdOf,
  type DispatchOptions,
  type Executor,
  type ExecutorJobCounts,
  type StepHandler,
  type StepJob,
} from './executor.port.js';

/**
 * Runs steps in this process, at most `concurrency` at a time, in the order they were
 * dispatched. Jobs are not durable here: after a crash the engine's recovery re-dispatches
 * what the database says is queued.
 */
export class InProcessExecutor implements Executor {
  private handler: StepHandler | undefined;
  private readonly waiting: StepJob[] = [];
  private readonly pending = new Set<string>();
  private readonly delayed = new Set<NodeJS.Timeout>();
  private running = 0;
  private stopping = false;
  private readonly idle: Array<() => void> = [];

  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(`executor concurrency must be an integer ≥ 1 (got ${concurrency})`);
    }
  }

  async start(handler: StepHandler): Promise<void> {
    this.handler = handler;
    this.pump();
  }

  async dispatch(job: StepJob, options: DispatchOptions = {}): Promise<void> {
    if (this.stopping || this.pending.has(jobIdOf(job))) return;
    this.pending.add(jobIdOf(job));
    if (options.delayMs && options.delayMs > 0) {
      const timer = setTimeout(() => {
        this.delayed.delete(timer);
        this.enqueue(job);
      }, options.delayMs);
      this.delayed.add(timer);
      return;
    }
    this.enqueue(job);
  }

  async dispatchAll(jobs: readonly StepJob[]): Promise<void> {
    // A batch is accepted as a whole, as a queue's bulk add is: a job listed twice counts once.
    const unique = new Map(jobs.map((job) => [jobIdOf(job), job]));
    for (const job of unique.values()) await this.dispatch(job);
  }

  async isPending(job: StepJob): Promise<boolean> {
    return this.pending.has(jobIdOf(job));
  }

  inFlight(): number {
    return this.pending.size;
  }

  /** Nothing to reach: ready until stopped. */
  async ping(): Promise<void> {
    if (this.stopping) throw new Error('the in-process executor is stopping');
  }

  async jobCounts(): Promise<ExecutorJobCounts> {
    return { waiting: this.waiting.length, delayed: this.delayed.size, active: this.running };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.delayed) clearTimeout(timer);
    this.delayed.clear();
    for (const job of this.waiting.splice(0)) this.pending.delete(jobIdOf(job));
    this.pending.clear();
    if (this.running === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private enqueue(job: StepJob): void {
    if (this.stopping) return;
    this.waiting.push(job);
    this.pump();
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running++;
      // Started from the event loop's check phase, not at the end of the previous step's promise
      // chain: otherwise steps that end on timers can chain one into the next for seconds and
      // starve I/O, leaving the HTTP API of `weir dev` unanswered while a backfill runs.
      const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() => handler(job));
      // The handler records its own failures; a rejection here is a bug we must not hide.
      run
        .catch((error: unknown) => console.error(`weir: step ${job.stepId} crashed the executor:`, error))
        .finally(() => {
          this.running--;
          this.pending.delete(jobIdOf(job));
          if (this.running === 0 && this.stopping) this.idle.splice(0).forEach((resolve) => resolve());
          this.pump();
        });
    }
  }
}
