import { postAlertJson, type Alert, type AlertSink } from 'weir/plugin';
import { webhookUrl } from './webhook-url.js';

export interface WebhookAlertSinkOptions {
  /** Where alerts are POSTed. A secret: never logged, never in an error. */
  readonly url: string;
  /** Gives up on a request after this long; default 10 s (Weir retries a few times). */
  readonly timeoutMs?: number;
}

/**
 * POSTs each alert as JSON: the `Alert` fields (`kind`, `title`, `text`, `assetKey`, `runId`,
 * `dedupKey`, `at`, `details`) plus `source: "weir"`. The dedup key is also sent as the
 * `Idempotency-Key` header, so a receiver can drop a copy of its own. Any 2xx answer is a
 * delivery; 408, 429, 5xx and network errors are retried by Weir, other answers are not.
 */
export class WebhookAlertSink implements AlertSink {
  readonly name = 'webhook';
  // ES private fields: not shown by console.log or util.inspect, not serialized.
  readonly #url: string;
  readonly #timeoutMs: number | undefined;

  constructor(options: WebhookAlertSinkOptions) {
    this.#url = webhookUrl(options.url, 'WEIR_ALERT_WEBHOOK_URL');
    this.#timeoutMs = options.timeoutMs;
  }

  send(alert: Alert): Promise<void> {
    return postAlertJson(
      this.#url,
      { source: 'weir', ...alert },
      { sinkName: this.name, timeoutMs: this.#timeoutMs, headers: { 'idempotency-key': alert.dedupKey } },
    );
  }
}
