/** Name of the cookie the console's session travels in. */
export const SESSION_COOKIE = 'weir_session';

type Headers = Record<string, string | string[] | undefined>;

/** A `Set-Cookie` value carrying a session: not readable by scripts, never sent cross-site. */
export function sessionCookie(secret: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.floor(maxAgeSeconds)}`;
}

/** A `Set-Cookie` value that makes the browser drop the session cookie. */
export function expiredSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;
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
