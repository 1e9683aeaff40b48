import { AlertDeliveryError } from './alert-sink.port.js';

/** Options of {@link postAlertJson}. */
export interface PostAlertOptions {
  /** Names the sink in error messages (the URL never appears in them). */
  readonly sinkName: string;
  /** Gives up on a request after this long; default 10 s. */
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
// Longest Retry-After honoured; a receiver asking for more is retried at the usual pace.
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * POSTs `body` as JSON to `url`, for alert-sink plugins. Resolves on a 2xx answer; otherwise
 * rejects with an {@link AlertDeliveryError} saying whether a retry may help. Redirects are
 * refused (a webhook URL is a secret: it is not handed to another host). Error messages carry
 * the status, a short excerpt of the answer and network error codes, never the URL.
 */
export async function postAlertJson(url: string, body: unknown, options: PostAlertOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'weir-alerts', ...options.headers },
      body: JSON.stringify(body),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new AlertDeliveryError(`${options.sinkName}: request failed: ${networkReason(error, timeoutMs, url)}`, {
      retryable: true,
    });
  }
  if (response.ok) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  const answer = (await response.text().catch(() => '')).split(url).join('***').trim().slice(0, 200);
  const status = response.status;
  const retryAfter = Number(response.headers.get('retry-after'));
  throw new AlertDeliveryError(`${options.sinkName}: the receiver answered ${status}${answer ? `: ${answer}` : ''}`, {
    retryable: status === 408 || status === 429 || status >= 500,
    status,
    retryAfterMs:
      Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS) : undefined,
  });
}

// A code when there is one; otherwise the cause's message with every part of the URL that may
// be secret (the whole URL, its path and query) cut out.
function networkReason(error: unknown, timeoutMs: number, url: string): string {
  const { name, cause } = (error ?? {}) as { name?: unknown; cause?: { code?: unknown; message?: unknown } };
  if (name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message !== 'string' || cause.message === '') return 'network error';
  let message = cause.message;
  const parsed = URL.parse(url);
  for (const secret of [url, parsed?.pathname ?? '', parsed?.search ?? '', parsed?.password ?? '']) {
    if (secret.length > 1) message = message.split(secret).join('***');
  }
  return message;
}
