import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import type { Clock } from '../runs/clock.js';
import type { Alert, AlertSink } from './alert-sink.port.js';

export interface AlertDispatcherOptions {
  readonly dataSource: DataSource;
  readonly sinks: readonly AlertSink[];
  readonly clock: Clock;
  readonly log: (line: string) => void;
  /** Tries per delivery, the first included; default 4. */
  readonly maxAttempts?: number;
  /** Wait before the second try, doubled for each further one; default 1 s. */
  readonly retryDelayMs?: number;
  /**
   * A delivery claimed this long ago and never finished (its process died) may be claimed
   * again; default 10 minutes. Shorter than a delivery can take risks sending twice.
   */
  readonly staleClaimMs?: number;
}

/**
 * Delivers alerts to the configured sinks, each at most once per (sink, dedup key) — across
 * retries of the caller, restarts and servers, because the claim is a row in
 * `alert_deliveries` whose primary key is that pair. A delivery that throws is retried a few
 * times with a doubling delay (not when the error says `retryable: false`); one that still
 * fails is recorded as `failed` and may be claimed again by a later dispatch of the same key.
 * Never rejects: delivery problems are logged, without the sinks' URLs.
 */
export class AlertDispatcher {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: AlertDispatcherOptions) {}

  /** True when at least one sink is configured. */
  get enabled(): boolean {
    return this.options.sinks.length > 0;
  }

  /** Delivers `alert` to every sink that has not had it yet; resolves when all are done. */
  dispatch(alert: Alert): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    const delivery = Promise.all(this.options.sinks.map((sink) => this.deliver(sink, alert))).then(() => {});
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
    return delivery;
  }

  /** Resolves once every delivery started so far has ended (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async deliver(sink: AlertSink, alert: Alert): Promise<void> {
    try {
      if (!(await this.claim(sink, alert))) return;
    } catch (error) {
      this.options.log(`alert ${alert.dedupKey} to ${sink.name} not sent: ${(error as Error).message}`);
      return;
    }
    const maxAttempts = this.options.maxAttempts ?? 4;
    let delay = this.options.retryDelayMs ?? 1_000;
    for (let attempt = 1; ; attempt++) {
      try {
        await sink.send(alert);
      } catch (error) {
        const { message, retryable, retryAfterMs } = error as Error & { retryable?: unknown; retryAfterMs?: unknown };
        if (retryable !== false && attempt < maxAttempts) {
          await sleep(typeof retryAfterMs === 'number' ? Math.max(retryAfterMs, delay) : delay);
          delay *= 2;
          continue;
        }
        this.options.log(
          `alert ${alert.dedupKey} to ${sink.name} failed after ${attempt} attempt(s): ${message ?? String(error)}`,
        );
        await this.settle(sink, alert, 'failed', attempt, String(message ?? error));
        return;
      }
      await this.settle(sink, alert, 'sent', attempt, null);
      return;
    }
  }

  private async settle(
    sink: AlertSink,
    alert: Alert,
    status: 'sent' | 'failed',
    attempts: number,
    error: string | null,
  ): Promise<void> {
    try {
      await this.options.dataSource.query(
        `UPDATE alert_deliveries SET status = $3, attempts = attempts + $4, error = $5, sent_at = $6
          WHERE sink = $1 AND dedup_key = $2`,
        [sink.name, alert.dedupKey, status, attempts, error, status === 'sent' ? this.options.clock.now() : null],
      );
    } catch (cause) {
      this.options.log(
        `alert ${alert.dedupKey} to ${sink.name}: ${status}, but not recorded: ${(cause as Error).message}`,
      );
    }
  }

  /** Takes the delivery for this process; false when it was sent, or is being sent, elsewhere. */
  private async claim(sink: AlertSink, alert: Alert): Promise<boolean> {
    const now = this.options.clock.now();
    const staleBefore = new Date(now.getTime() - (this.options.staleClaimMs ?? 10 * 60_000));
    const rows: unknown[] = await this.options.dataSource.query(
      `INSERT INTO alert_deliveries (sink, dedup_key, kind, status, attempts, claimed_at)
       VALUES ($1, $2, $3, 'sending', 0, $4)
       ON CONFLICT (sink, dedup_key) DO UPDATE SET status = 'sending', claimed_at = EXCLUDED.claimed_at, error = NULL
         WHERE alert_deliveries.status = 'failed'
            OR (alert_deliveries.status = 'sending' AND alert_deliveries.claimed_at < $5)
       RETURNING sink`,
      [sink.name, alert.dedupKey, alert.kind, now, staleBefore],
    );
    return rows.length > 0;
  }
}
