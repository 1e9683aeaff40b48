import type { Executor, StepHandler, StepJob } from './executor.port.js';

/**
 * Runs steps in this process, at most `concurrency` at a time, in the order they were
 * dispatched. Jobs are not durable here: after a crash the engine's recovery re-dispatches
 * what the database says is queued.
 */
export class InProcessExecutor implements Executor {
  private handler: StepHandler | undefined;
  private readonly waiting: StepJob[] = [];
  private running = 0;
  private stopping = false;
  private readonly idle: Array<() => void> = [];

  constructor(private readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new Error(`executor concurrency must be an integer ≥ 1 (got ${concurrency})`);
  }

  async start(handler: StepHandler): Promise<void> {
    this.handler = handler;
    this.pump();
  }

  async dispatch(job: StepJob): Promise<void> {
    if (this.stopping) return;
    this.waiting.push(job);
    this.pump();
  }

  inFlight(): number {
    return this.running + this.waiting.length;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.waiting.length = 0;
    if (this.running === 0) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running++;
      // The handler records its own failures; a rejection here is a bug we must not hide.
      handler(job)
        .catch((error: unknown) => console.error(`weir: step ${job.stepId} crashed the executor:`, error))
        .finally(() => {
          this.running--;
          if (this.running === 0 && this.stopping) this.idle.splice(0).forEach((resolve) => resolve());
          this.pump();
        });
    }
  }
}
