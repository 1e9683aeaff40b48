/**
 * Parses `WEIR_ALLOWED_ORIGINS`: comma-separated web origins (`https://console.example.com`,
 * `http://localhost:5173`) whose pages may use a console session cookie in addition to the
 * server's own origin. Each is normalized the way browsers serialize the `Origin` header
 * (lower-case host, default port dropped), so comparing strings is comparing origins.
 *
 * @throws Error naming the first entry that is not an http(s) origin.
 */
export function parseAllowedOrigins(raw: string | undefined): string[] {
  const origins: string[] = [];
  for (const entry of (raw ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const origin = originOf(entry);
    if (!origins.includes(origin)) origins.push(origin);
  }
  return origins;
}

function originOf(entry: string): string {
  // A wildcard would hand the session cookie to every site: refused rather than guessed at.
  if (entry.includes('*')) throw new Error(`'${entry}' is a wildcard: list each origin, e.g. https://weir.example.com`);
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw new Error(`'${entry}' is not an origin: expected scheme://host[:port], e.g. https://weir.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`'${entry}' is not an http:// or https:// origin`);
  // An origin has no path, query, fragment or credentials: a path here is most likely a typo
  // for another URL, and silently dropping it would allow more than was meant.
  if (url.username || url.password || url.search || url.hash || !/^[a-z]+:\/\/[^/?#]+\/?$/i.test(entry))
    throw new Error(`'${entry}' is not an origin: give only scheme://host[:port], without a path (${url.origin})`);
  return url.origin;
}
