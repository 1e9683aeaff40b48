import { redactCredentials } from '../io/redact-credentials.js';

// Scheme, `://`, then up to whitespace or a quote: URLs as drivers and SDKs print them.
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/** `message` with the user and password of every URL in it removed: error texts reach public probes. */
export function redactUrlsIn(message: string): string {
  return message.replace(URL_IN_TEXT, (url) => redactCredentials(url));
}
