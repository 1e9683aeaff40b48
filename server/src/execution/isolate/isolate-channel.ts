import type { MessagePort } from 'node:worker_threads';
import { toJsonSafe } from '../../io/json-safe.js';
import type { AssetLogger, LogFields } from '../../sdk/context.js';
import { redactSecrets } from '../../sdk/redact.js';
import type { EventLevel } from '../../storage/entities/event.entity.js';
import type { EngineMessage, IsolateMessage, LoadTaskResult, SensorTaskResult, StepTaskResult } from './step-task.js';

/**
 * The isolate's end of a task's channel: sends log lines and checkpoints to the engine, aborts
 * the task's signal when the engine says so, and carries the outcome back last, so it arrives
 * after every line logged before it. Every message is redacted on its way out: no secret a
 * resource resolved (`secret()`) leaves the isolate in a log line, an error, metadata or a check.
 */
export class IsolateChannel {
  private readonly controller = new AbortController();
  private readonly pending = new Map<number, { resolve(): void; reject(error: Error): void }>();
  private nextId = 0;

  constructor(private readonly port: MessagePort) {
    port.on('message', (message: EngineMessage) => this.receive(message));
  }

  /** `ctx.signal`. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** `ctx.log`: lines go to the engine as they are logged (fields made JSON-safe here). */
  readonly log: AssetLogger = {
    debug: (message, fields) => this.send('debug', message, fields),
    info: (message, fields) => this.send('info', message, fields),
    warn: (message, fields) => this.send('warn', message, fields),
    error: (message, fields) => this.send('error', message, fields),
  };

  /**
   * Says the user code starts now. A fresh isolate loads the project first, which can take
   * seconds on a busy machine: that time is not the step's.
   */
  started(): void {
    this.post({ type: 'started' });
  }

  /** Hands a serialized checkpoint to the engine; resolves once it is committed. */
  checkpoint(json: string): Promise<void> {
    const id = ++this.nextId;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ type: 'checkpoint', id, json });
    });
  }

  /** Sends the task's outcome; nothing is sent after it. */
  finish(result: StepTaskResult | SensorTaskResult | LoadTaskResult): void {
    this.post({ type: 'result', result });
    this.port.unref();
  }

  private send(level: EventLevel, message: string, fields?: LogFields): void {
    this.post({ type: 'log', level, message: String(message), data: fields ? toJsonSafe(fields) : {} });
  }

  private post(message: IsolateMessage): void {
    this.port.postMessage(redactMessage(message));
  }

  private receive(message: EngineMessage): void {
    if (message.type === 'abort') {
      this.controller.abort(new Error(message.reason));
      return;
    }
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (!message.error) return waiter.resolve();
    // The engine's error, rebuilt with its name (StaleAttemptError, …) so callers can tell.
    const error = new Error(message.error.message);
    error.name = message.error.name;
    waiter.reject(error);
  }
}

/** The message with secrets redacted; an output stays as is (it is the asset's data, not text about it). */
function redactMessage(message: IsolateMessage): IsolateMessage {
  if (message.type !== 'result' || !('output' in message.result)) return redactSecrets(message);
  const { output, ...rest } = message.result;
  return { type: 'result', result: { ...redactSecrets(rest), output } };
}
