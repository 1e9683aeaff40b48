import { postAlertJson, type Alert, type AlertSink } from 'weir/plugin';
import { slackMessage } from './slack-message.js';

export interface SlackAlertSinkOptions {
  /** The incoming webhook. A secret: never logged, never in an error. */
  readonly url: string;
  /** Gives up on a request after this long; default 10 s (Weir retries a few times). */
  readonly timeoutMs?: number;
}

/**
 * Posts each alert as a Slack message (`{ text, blocks }`, see {@link slackMessage}). Slack
 * answers 200 `ok`; 429 (rate limited, with Retry-After) and 5xx are retried by Weir, other
 * errors (`invalid_payload`, `no_service`, `channel_is_archived`, …) are not.
 */
export class SlackAlertSink implements AlertSink {
  readonly name = 'slack';
  // ES private fields: not shown by console.log or util.inspect, not serialized.
  readonly #url: string;
  readonly #timeoutMs: number | undefined;

  constructor(options: SlackAlertSinkOptions) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(options.url);
    } catch {
      parsed = undefined;
    }
    if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
      throw new Error(
        'WEIR_ALERT_SLACK_WEBHOOK_URL must be an http:// or https:// URL (value not shown: it is a secret)',
      );
    }
    this.#url = options.url;
    this.#timeoutMs = options.timeoutMs;
  }

  send(alert: Alert): Promise<void> {
    return postAlertJson(this.#url, slackMessage(alert), { sinkName: this.name, timeoutMs: this.#timeoutMs });
  }
}
