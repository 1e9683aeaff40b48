/**
 * `@weir/alert-slack`: Weir's alerts in a Slack channel, through an incoming webhook
 * (https://api.slack.com/messaging/webhooks). Weir loads this package when
 * `WEIR_ALERT_SLACK_WEBHOOK_URL` is set and calls {@link createAlertSink}.
 * @packageDocumentation
 */
export { SlackAlertSink, type SlackAlertSinkOptions } from './slack-alert-sink.js';
export { slackMessage, type SlackBlock, type SlackMessage } from './slack-message.js';

import { SlackAlertSink } from './slack-alert-sink.js';

/**
 * Builds the sink for an incoming-webhook URL (`https://hooks.slack.com/services/…`; any
 * http(s) URL is accepted, for proxies and tests). The URL is a secret: never shown in errors.
 * @throws Error when it is not an http(s) URL (the message does not repeat it).
 */
export function createAlertSink(url: string): SlackAlertSink {
  return new SlackAlertSink({ url });
}
