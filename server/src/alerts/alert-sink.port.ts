/** What an alert is about. */
export type AlertKind = 'freshness.late' | 'freshness.warning' | 'freshness.recovered' | 'run.failed' | 'step.failed';

/** A detail value: what JSON and chat messages show as is. */
export type AlertDetail = string | number | boolean | null;

/**
 * One alert, as every sink receives it. Sinks render it (a JSON body, a Slack message, …) and
 * must not add anything secret to it: it may be logged or stored by the receiver.
 */
export interface Alert {
  readonly kind: AlertKind;
  /** One line, e.g. `gold/daily_revenue is late`. */
  readonly title: string;
  /** A few lines for people: what happened, since when, what was expected. */
  readonly text: string;
  readonly assetKey?: string;
  readonly partitionKey?: string;
  readonly runId?: string;
  /**
   * Identifies the occurrence: the same key is delivered once per sink, however many times or
   * processes dispatch it (e.g. `run.failed:<run id>`, `freshness.late:<asset>:<partition>:<since>`).
   */
  readonly dedupKey: string;
  /** When it happened (ISO 8601). */
  readonly at: string;
  /** Machine-readable facts: the missed deadline, the lag in ms, the failed steps, … */
  readonly details: Readonly<Record<string, AlertDetail>>;
}

/**
 * Where alerts go: a webhook, a chat, a pager. Implemented by plugins (`@weir/alert-webhook`,
 * `@weir/alert-slack`); Weir delivers each alert once per sink and dedup key, and retries
 * `send` a few times when it throws an {@link AlertDeliveryError} that is `retryable` (or any
 * other error).
 */
export interface AlertSink {
  /** A stable name for deduplication and logs, e.g. `'webhook'`. Never a URL (it may be secret). */
  readonly name: string;
  /** Delivers one alert; rejects when it was not accepted. */
  send(alert: Alert): Promise<void>;
}

/** What an alert-sink plugin package exports: a factory taking the configured URL. */
export interface AlertSinkPluginModule {
  createAlertSink(url: string): AlertSink | Promise<AlertSink>;
}

/**
 * A delivery that failed. `retryable` says whether trying again may help (network errors,
 * timeouts, 429 and 5xx answers) or not (other 4xx: the request itself is wrong). The message
 * never contains the receiver's URL.
 */
export class AlertDeliveryError extends Error {
  readonly retryable: boolean;
  /** The HTTP status of the answer, when there was one. */
  readonly status: number | undefined;
  /** How long the receiver asked to wait (Retry-After), when it did. */
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    options: { retryable: boolean; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AlertDeliveryError';
    this.retryable = options.retryable;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}
