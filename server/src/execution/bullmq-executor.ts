import { createPostgresBackend, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { redactUrl } from '../config/database-url.js';
import {
  jobIdOf,
  type DispatchOptions,
  type Executor,
  type ExecutorJobCounts,
  type StepHandler,
  type StepJob,
} from './executor.port.js';

/** Where BullMQ keeps its queue: Redis (the default) or PostgreSQL (BullMQ's own backend). */
export type QueueBackend =
  { readonly kind: 'redis'; readonly url: string } | { readonly kind: 'postgres'; readonly url: string };

export interface BullMqExecutorOptions {
  readonly backend: QueueBackend;
  /** Queue name; one per Weir deployment. */
  readonly queueName?: string;
  /** Steps this process runs at once when it consumes (`weir worker --concurrency`). */
  readonly concurrency?: number;
}

/** The queue Weir's steps go through (one per deployment; every server and worker uses it). */
export const DEFAULT_QUEUE = 'weir-steps';
/** BullMQ's default Redis key prefix, which Weir keeps: a queue's keys are `<prefix>:<queue>:<kind>`. */
export const BULLMQ_PREFIX = 'bull';
/**
 * The Redis list of a queue's waiting jobs (BullMQ's `wait` key), which autoscalers watch
 * (KEDA's redis scaler in docker/k8s). Delayed and prioritized jobs live in sorted sets instead;
 * Weir sets no priority, and retries wait in the engine, not in the queue.
 */
export function redisWaitListKey(queueName: string = DEFAULT_QUEUE): string {
  return `${BULLMQ_PREFIX}:${queueName}:wait`;
}
/** The Redis list of a queue's jobs that workers are running (BullMQ's `active` key). */
export function redisActiveListKey(queueName: string = DEFAULT_QUEUE): string {
  return `${BULLMQ_PREFIX}:${queueName}:active`;
}
const COMMAND_TIMEOUT_MS = 3_000;

/**
 * Delivers steps through a BullMQ queue (on Redis, or on PostgreSQL with BullMQ's own
 * backend), to `weir worker` processes anywhere. The queue is only a delivery channel: a job's outcome is decided in PostgreSQL by the step
 * runner (which ignores a duplicate or stale delivery), and the reconciler re-dispatches steps
 * whose job the queue lost. So jobs are not retried by BullMQ (`attempts: 1`), and a stalled job
 * that BullMQ hands out again does no harm.
 */
export class BullMqExecutor implements Executor {
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private readonly connections: Array<{ disconnect(): void }> = [];
  private readonly queueName: string;

  constructor(private readonly options: BullMqExecutorOptions) {
    this.queueName = options.queueName ?? DEFAULT_QUEUE;
    // A dispatch fails after a few seconds while the queue is down: the step stays queued in
    // the database and the reconciler dispatches it again once the queue is back.
    this.queue = new Queue(
      this.queueName,
      { ...this.connection(false), skipWaitingForReady: true },
      this.backendFactory(),
    );
    this.queue.on('error', () => {});
  }

  async start(handler: StepHandler): Promise<void> {
    this.worker = new Worker(
      this.queueName,
      async (job: Job<StepJob>) => handler(job.data),
      {
        ...this.connection(true),
        concurrency: this.options.concurrency ?? 1,
        // A killed worker's job comes back after this: harmless (the step runner ignores it);
        // the attempt itself is declared lost by its stopped heartbeat.
        stalledInterval: 10_000,
        maxStalledCount: 1_000,
        removeOnComplete: { count: 0 },
        removeOnFail: { count: 0 },
      },
      this.backendFactory(),
    );
    // Connection errors are retried by the client; they must not crash the worker process.
    this.worker.on('error', () => {});
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- BullMQ's constructor overloads differ per backend
  private connection(blocking: boolean): { connection: any } {
    const { backend } = this.options;
    if (backend.kind === 'postgres') return { connection: { connectionString: backend.url, migrate: true } };
    // Clients are built here: BullMQ cannot load ioredis itself from native ESM. A consumer's
    // blocking connection must retry forever; a producer's gives up quickly.
    const client = new Redis(backend.url, { maxRetriesPerRequest: blocking ? null : 1 });
    client.on('error', () => {});
    this.connections.push(client);
    return { connection: client };
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see connection()
  private backendFactory(): any {
    return this.options.backend.kind === 'postgres' ? createPostgresBackend : undefined;
  }

  async dispatch(job: StepJob, options: DispatchOptions = {}): Promise<void> {
    await this.bounded(
      'a dispatch',
      this.queue.add('step', job, {
        jobId: jobIdOf(job),
        delay: options.delayMs,
        attempts: 1,
        removeOnComplete: true,
        removeOnFail: true,
      }),
    );
  }

  async dispatchAll(jobs: readonly StepJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.bounded(
      'a dispatch',
      this.queue.addBulk(
        jobs.map((job) => ({
          name: 'step',
          data: job,
          opts: { jobId: jobIdOf(job), attempts: 1, removeOnComplete: true, removeOnFail: true },
        })),
      ),
    );
  }

  async isPending(job: StepJob): Promise<boolean> {
    const found = await this.bounded('a job lookup', this.queue.getJob(jobIdOf(job)));
    if (!found) return false;
    const state = await this.bounded('a job lookup', found.getState());
    return (
      state === 'waiting' ||
      state === 'delayed' ||
      state === 'active' ||
      state === 'prioritized' ||
      state === 'waiting-children'
    );
  }

  /** A round trip to the queue's store (Redis or PostgreSQL), through the producer's connection. */
  async ping(): Promise<void> {
    // The client's own errors (a refused connection, too many retries) do not say which queue.
    const { kind, url } = this.options.backend;
    const command = this.queue.getJobCounts('waiting').catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`the ${kind} queue at ${redactUrl(url)} is unreachable: ${reason}`, { cause: error });
    });
    await this.bounded('a ping', command);
  }

  /** The queue's jobs, whichever process dispatched them. */
  async jobCounts(): Promise<ExecutorJobCounts> {
    const counts = await this.bounded(
      'a job count',
      this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active'),
    );
    return {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      delayed: counts.delayed ?? 0,
      active: counts.active ?? 0,
    };
  }

  /** Runs a producer command, failing after a few seconds instead of hanging while Redis is down. */
  private async bounded<T>(what: string, command: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `the ${this.options.backend.kind} queue at ${redactUrl(this.options.backend.url)} did not answer ${what} in time`,
            ),
          ),
        COMMAND_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([command, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  inFlight(): number {
    return 0;
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    for (const connection of this.connections) connection.disconnect();
  }
}
