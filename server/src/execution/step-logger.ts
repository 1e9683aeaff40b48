import type { DataSource } from 'typeorm';
import type { AssetLogger, LogFields } from '../sdk/context.js';
import type { EventLevel } from '../storage/entities/event.entity.js';
import { appendEvents, type NewEvent } from '../storage/event-log.js';
import { toJsonSafe } from '../io/json-safe.js';

interface StepIds {
  readonly runId: string;
  readonly stepId: string;
  readonly attemptId: string;
  readonly assetKey: string;
}

// Lines are batched and written in the background so logging never blocks asset code on a
// database round trip; flush() is awaited before the attempt's outcome is committed.
const FLUSH_EVERY_MS = 250;

/** `ctx.log`: structured lines kept in the event log as `log` events of the attempt. */
export class StepLogger implements AssetLogger {
  private buffer: NewEvent[] = [];
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ids: StepIds,
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.add('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.add('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.add('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.add('error', message, fields);
  }

  /** Writes every buffered line. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length > 0) {
      this.writing = this.writing.then(() => this.dataSource.transaction((m) => appendEvents(m, batch)));
    }
    await this.writing;
  }

  /** Adds a line whose fields were already made JSON-safe (sent by an isolate). */
  addSafe(level: EventLevel, message: string, data: Record<string, unknown>): void {
    this.buffer.push({ type: 'log', level, message, ...this.ids, data });
    this.timer ??= setTimeout(() => void this.flush().catch(() => {}), FLUSH_EVERY_MS);
  }

  private add(level: EventLevel, message: string, fields?: LogFields): void {
    this.addSafe(level, String(message), fields ? toJsonSafe(fields) : {});
  }
}
