/**
 * Checks that `url` is an http(s) URL and returns it. The error names the setting, never the
 * value: webhook URLs usually carry their credentials in the path or query.
 */
export function webhookUrl(url: string, setting: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
    throw new Error(`${setting} must be an http:// or https:// URL (value not shown: it is a secret)`);
  }
  return url;
}
