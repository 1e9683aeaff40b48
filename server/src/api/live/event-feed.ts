import type { DataSource } from 'typeorm';
import { listEventsAfter, type EventView } from '../../storage/event-log.js';

/** An event-log row as subscriptions deliver it. */
export type FeedEvent = EventView;

export type FeedListener = (events: readonly FeedEvent[]) => void;

export interface EventFeedOptions {
  readonly pollMs?: number;
  /** How long an id gap may stay open before it is taken for a rolled-back insert. */
  readonly gapTimeoutMs?: number;
  readonly batchSize?: number;
}

/**
 * Tails the event log for live subscriptions, in every process alike: workers on other
 * machines commit steps and logs, so an in-memory emitter would miss them. Polls only while
 * someone listens; `wake()` (called when this process commits) makes the next poll immediate.
 *
 * Ids come from a sequence, so a transaction can commit id 10 after id 11 was read. The feed
 * keeps its cursor below such a gap and re-reads past it, skipping ids already delivered,
 * until the gap fills or times out (a rolled-back insert leaves a permanent hole).
 */
export class EventFeed {
  private readonly listeners = new Set<FeedListener>();
  private cursor: bigint | null = null;
  private readonly delivered = new Set<string>();
  private gapSince: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: EventFeedOptions = {},
  ) {}

  /** Delivers every event committed after this call; returns the unsubscribe function. */
  async subscribe(listener: FeedListener): Promise<() => void> {
    if (this.cursor === null) this.cursor = await this.currentMaxId();
    this.listeners.add(listener);
    this.schedule(0);
    return () => {
      this.listeners.delete(listener);
      // Idle: the next subscriber starts from the log's end, not from where this one left.
      if (this.listeners.size === 0) {
        this.cursor = null;
        this.delivered.clear();
        this.gapSince = null;
      }
    };
  }

  /** Polls now (something was just committed in this process). */
  wake(): void {
    if (this.listeners.size > 0) this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (this.stopped || this.listeners.size === 0) return;
    if (this.timer) {
      if (delayMs > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.poll();
    }, delayMs);
    this.timer.unref?.();
  }

  private async poll(): Promise<void> {
    if (this.polling) {
      await this.polling;
      this.schedule(0);
      return;
    }
    this.polling = this.readNew().finally(() => (this.polling = null));
    await this.polling;
    this.schedule(this.options.pollMs ?? 250);
  }

  private async currentMaxId(): Promise<bigint> {
    const rows: Array<{ id: string | null }> = await this.dataSource.query(`SELECT max(id)::text AS id FROM event_log`);
    return BigInt(rows[0]?.id ?? 0);
  }

  private async readNew(): Promise<void> {
    try {
      const rows = await listEventsAfter(
        this.dataSource.manager,
        String(this.cursor ?? 0n),
        this.options.batchSize ?? 2000,
      );
      const fresh = rows.filter((row) => !this.delivered.has(row.id));
      this.advance(rows.map((row) => BigInt(row.id)));
      if (fresh.length === 0) return;
      for (const listener of this.listeners) {
        try {
          listener(fresh);
        } catch (error) {
          console.error('weir: a live subscription listener failed:', error);
        }
      }
    } catch (error) {
      console.error(`weir: reading the event log for live updates failed, retrying: ${(error as Error).message}`);
    }
  }

  /** Moves the cursor over every contiguous id read; remembers ids read beyond a gap. */
  private advance(ids: readonly bigint[]): void {
    let cursor = this.cursor ?? 0n;
    for (const id of ids) this.delivered.add(String(id));
    const sorted = [...this.delivered].map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const id of sorted) {
      if (id <= cursor) this.delivered.delete(String(id));
      else if (id === cursor + 1n) {
        cursor = id;
        this.delivered.delete(String(id));
      } else break;
    }
    if (this.delivered.size === 0) this.gapSince = null;
    else {
      this.gapSince ??= Date.now();
      // A gap that never fills was a rolled-back insert: step over it.
      if (Date.now() - this.gapSince > (this.options.gapTimeoutMs ?? 5_000)) {
        const next = sorted.find((id) => id > cursor)!;
        cursor = next;
        this.delivered.delete(String(next));
        this.gapSince = null;
        this.cursor = cursor;
        return this.advance([]);
      }
    }
    this.cursor = cursor;
  }
}
