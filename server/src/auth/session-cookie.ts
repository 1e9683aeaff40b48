/** Name of the cookie the console's session travels in. */
export const SESSION_COOKIE = 'weir_session';

type Headers = Record<string, string | string[] | undefined>;

/** Whether the cookie may only travel over HTTPS (see {@link arrivedOverHttps}). */
export interface CookieOptions {
  readonly secure?: boolean;
}

/**
 * A `Set-Cookie` value carrying a session: not readable by scripts, never sent cross-site, and
 * with `secure` only ever sent back over HTTPS.
 */
export function sessionCookie(secret: string, maxAgeSeconds: number, options: CookieOptions = {}): string {
  return `${SESSION_COOKIE}=${secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeSeconds)}${options.secure ? '; Secure' : ''}`;
}

/** A `Set-Cookie` value that makes the browser drop the session cookie. */
export function expiredSessionCookie(options: CookieOptions = {}): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${options.secure ? '; Secure' : ''}`;
}

/**
 * Whether a request reached the user over HTTPS: TLS on this socket, or a proxy in front that
 * terminated it and says so in `X-Forwarded-Proto`. Trusting the header is safe here: it can only
 * make the session cookie stricter (Secure), never looser.
 */
export function arrivedOverHttps(request: {
  readonly headers: Headers;
  readonly socket?: { readonly encrypted?: boolean };
}): boolean {
  if (request.socket?.encrypted) return true;
  const raw = request.headers['x-forwarded-proto'];
  const forwarded = (Array.isArray(raw) ? raw[0] : raw)?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https';
}

/** The session secret of a request's `Cookie` header, if it has one. */
export function sessionSecretOf(headers: Headers): string | undefined {
  const raw = headers.cookie;
  const header = Array.isArray(raw) ? raw.join('; ') : raw;
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at !== -1 && part.slice(0, at).trim() === SESSION_COOKIE) return part.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

/** The `Authorization` header's value (the first one when repeated). */
export function authorizationOf(headers: Headers): string | undefined {
  const raw = headers.authorization;
  return Array.isArray(raw) ? raw[0] : raw;
}
