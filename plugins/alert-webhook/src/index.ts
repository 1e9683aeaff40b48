/**
 * `@weir/alert-webhook`: Weir's generic alert sink. Weir loads this package when
 * `WEIR_ALERT_WEBHOOK_URL` is set and calls {@link createAlertSink}; each alert is then POSTed
 * to that URL as JSON (the `Alert` object of `weir/plugin`), at most once per dedup key.
 * @packageDocumentation
 */
export { WebhookAlertSink, type WebhookAlertSinkOptions } from './webhook-alert-sink.js';
export { webhookUrl } from './webhook-url.js';

import { WebhookAlertSink } from './webhook-alert-sink.js';

/**
 * Builds the sink for `url` (`http://` or `https://`; it may hold a token, so it is never
 * shown in errors or logs).
 * @throws Error when the URL is not an http(s) URL (the message does not repeat it).
 */
export function createAlertSink(url: string): WebhookAlertSink {
  return new WebhookAlertSink({ url });
}
