import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { formatDuration } from '../../sdk/duration.js';
import type { EventLevel } from '../../storage/entities/event.entity.js';
import { crashFailure, IsolateFailure } from './isolate-failure.js';
import { serializeError, type EngineMessage, type IsolateMessage } from './step-task.js';

/** What the engine does with a task's messages. */
export interface TaskHandlers {
  log(level: EventLevel, message: string, data: Record<string, unknown>): void;
  /** Commits a serialized checkpoint; the isolate waits for it. */
  checkpoint(json: string): Promise<void>;
}

/** Limits of one task. */
export interface TaskLimits {
  /** Longest the task may run; `undefined`: no limit. */
  readonly timeoutMs?: number;
  /** How long the task may take to stop after its signal aborts before it is terminated. */
  readonly graceMs: number;
  /** The isolate's heap limit, named in an out-of-memory failure. */
  readonly memoryBytes?: number;
  /** How the task is named in failures, e.g. `asset raw/orders`. */
  readonly what: string;
}

/** How a task that cannot finish by itself is stopped: abort its signal, then terminate. */
export type StopKind = 'timeout' | 'canceled';

/**
 * The engine's side of one task: serves its messages (logs, checkpoints), enforces its time
 * limit, and turns a stop into a signal abort first and a termination of its isolate after the
 * grace period. {@link settle} yields the isolate's outcome or throws an {@link IsolateFailure}.
 */
export class TaskSupervisor<Result> {
  /** The isolate's end of the channel, to transfer with the task. */
  readonly isolatePort: MessagePort;
  /** Aborted when the isolate must be terminated (the grace period after a stop is over). */
  readonly termination = new AbortController();
  private readonly port: MessagePort;
  private stopped: { kind: StopKind; message: string } | undefined;
  private timers: NodeJS.Timeout[] = [];
  private clockStarted = false;
  private resolveResult!: (result: Result) => void;
  private readonly result = new Promise<Result>((resolve) => (this.resolveResult = resolve));

  constructor(
    private readonly handlers: TaskHandlers,
    private readonly limits: TaskLimits,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.isolatePort = port2;
    port1.on('message', (message: IsolateMessage) => this.receive(message));
  }

  /** The user code started (the isolate has its definitions): its time limit runs from now. */
  private startClock(): void {
    const { timeoutMs, what } = this.limits;
    if (timeoutMs === undefined || this.clockStarted) return;
    this.clockStarted = true;
    const timer = setTimeout(
      () =>
        this.stop(
          'timeout',
          `${what} timed out: it ran longer than its timeout of ${formatDuration(timeoutMs)} (timeout option or WEIR_STEP_TIMEOUT)`,
        ),
      timeoutMs,
    );
    this.timers.push(timer);
  }

  /** Aborts the task's `ctx.signal` now and terminates its isolate after the grace period. */
  stop(kind: StopKind, message: string): void {
    if (this.stopped) return;
    this.stopped = { kind, message };
    this.post({ type: 'abort', reason: message });
    this.timers.push(setTimeout(() => this.termination.abort(new Error(message)), this.limits.graceMs));
  }

  /** Waits for the task (`running`: the isolate's run of it) and returns its outcome. */
  async settle(running: Promise<unknown>): Promise<Result> {
    try {
      await running;
    } catch (error) {
      // Lines the isolate posted before it died are still on their way: let them arrive.
      await new Promise((resolve) => setTimeout(resolve, 20));
      this.close();
      if (this.stopped) {
        const { kind, message } = this.stopped;
        throw new IsolateFailure(
          kind,
          `${message}; it did not stop within ${formatDuration(this.limits.graceMs)} of its signal aborting, so its isolate was terminated (WEIR_CANCEL_GRACE)`,
        );
      }
      throw crashFailure(error, this.limits.what, this.limits.memoryBytes);
    }
    // The outcome was posted before the task returned; it may still be in flight.
    const result = await this.result;
    this.close();
    if (this.stopped?.kind === 'timeout') throw new IsolateFailure('timeout', this.stopped.message);
    return result;
  }

  private receive(message: IsolateMessage): void {
    if (message.type === 'started') this.startClock();
    else if (message.type === 'log') this.handlers.log(message.level, message.message, message.data);
    else if (message.type === 'result') this.resolveResult(message.result as Result);
    else if (message.type === 'checkpoint') {
      this.handlers.checkpoint(message.json).then(
        () => this.post({ type: 'checkpoint-saved', id: message.id }),
        (error: unknown) => this.post({ type: 'checkpoint-saved', id: message.id, error: serializeError(error) }),
      );
    }
  }

  private post(message: EngineMessage): void {
    this.port.postMessage(message);
  }

  private close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.port.close();
  }
}
