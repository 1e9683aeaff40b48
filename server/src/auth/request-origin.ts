import { arrivedOverHttps } from './session-cookie.js';

type Headers = Record<string, string | string[] | undefined>;

/** What origin checks read of a request (an Express request or a raw upgrade request). */
export interface OriginCheckedRequest {
  readonly method?: string;
  readonly headers: Headers;
  readonly socket?: { readonly encrypted?: boolean };
}

function first(headers: Headers, name: string): string | undefined {
  const raw = headers[name];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.split(',')[0]?.trim();
  return value || undefined;
}

/** `scheme://host[:port]` as browsers serialize it, or undefined when `host` is not a host. */
function serialized(scheme: 'http' | 'https', host: string): string | undefined {
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return undefined;
  }
}

/**
 * The origins a browser may have addressed this server by: the `Host` header (and the
 * `X-Forwarded-Host` of a proxy in front), with https when the request arrived over TLS or a proxy
 * says so, else http or https (a TLS proxy that does not say so is invisible from here). A page
 * forging a request cannot set either header, so trusting them cannot widen what a forged
 * request may do.
 */
export function ownOrigins(request: OriginCheckedRequest): string[] {
  const schemes: Array<'http' | 'https'> = arrivedOverHttps(request) ? ['https'] : ['http', 'https'];
  const hosts = [first(request.headers, 'host'), first(request.headers, 'x-forwarded-host')];
  const origins = hosts.flatMap((host) =>
    host === undefined ? [] : schemes.map((scheme) => serialized(scheme, host)),
  );
  return [...new Set(origins.filter((origin): origin is string => origin !== undefined))];
}

/**
 * Where a request says it comes from: its `Origin` header, else the origin of its `Referer`
 * (older browsers send only that on same-origin posts); undefined when it carries neither, as
 * non-browser clients do. An opaque origin stays the string `null`, which matches nothing.
 */
export function sourceOrigin(headers: Headers): string | undefined {
  const origin = first(headers, 'origin');
  if (origin !== undefined) return origin.toLowerCase() === 'null' ? 'null' : (serializedOrigin(origin) ?? origin);
  const referer = first(headers, 'referer');
  if (referer === undefined) return undefined;
  return serializedOrigin(referer) ?? 'null';
}

function serializedOrigin(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}
