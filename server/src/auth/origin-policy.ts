import { ownOrigins, sourceOrigin, type OriginCheckedRequest } from './request-origin.js';
import { authorizationOf, sessionSecretOf } from './session-cookie.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Which pages may use a console session: the server's own origin and `WEIR_ALLOWED_ORIGINS`.
 * The session cookie is SameSite=Strict, but "same site" still lets a page on a sibling host or
 * another port send it; these checks close that gap for state-changing requests and WebSocket
 * upgrades. A bearer token is never sent by a browser on its own, so a request carrying one is
 * not checked (`authenticate` uses the token and ignores the cookie).
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  /** @param allowedOrigins normalized origins (see `parseAllowedOrigins`) besides the server's own. */
  constructor(allowedOrigins: readonly string[] = []) {
    this.allowed = new Set(allowedOrigins);
  }

  /** Whether `origin` is this server (as addressed by `request`) or an allowed origin. */
  isAllowed(origin: string, request: OriginCheckedRequest): boolean {
    return this.allowed.has(origin) || ownOrigins(request).includes(origin);
  }

  /**
   * Why a REST or GraphQL-over-HTTP request may not proceed, or undefined. Only state-changing
   * methods without a bearer token are checked: one naming a foreign origin is refused (sign-in
   * included, so no page can sign a visitor in as someone else), and one authenticated by the
   * session cookie must name its origin (browsers always do on such requests).
   */
  refusalOf(request: OriginCheckedRequest): string | undefined {
    if (SAFE_METHODS.has((request.method ?? 'GET').toUpperCase())) return undefined;
    if (authorizationOf(request.headers) !== undefined) return undefined;
    return this.check(request, 'request');
  }

  /**
   * Why a WebSocket upgrade may not proceed, or undefined. An upgrade carrying the session cookie
   * must come from an allowed origin (browsers always send `Origin` on WebSocket upgrades); one
   * without a cookie authenticates later with a token in its connection parameters, which a
   * foreign page does not have.
   */
  upgradeRefusalOf(request: OriginCheckedRequest): string | undefined {
    if (authorizationOf(request.headers) !== undefined) return undefined;
    if (sessionSecretOf(request.headers) === undefined) return undefined;
    return this.check(request, 'WebSocket upgrade');
  }

  private check(request: OriginCheckedRequest, what: string): string | undefined {
    const origin = sourceOrigin(request.headers);
    if (origin === undefined) {
      if (sessionSecretOf(request.headers) === undefined) return undefined;
      return `${what} refused: it is authenticated by the session cookie but names no Origin (or Referer); browsers send one, and scripts should send 'Authorization: Bearer <token>' instead of the cookie`;
    }
    if (this.isAllowed(origin, request)) return undefined;
    const own = ownOrigins(request)[0] ?? 'unknown: no Host header';
    const listed = this.allowed.size > 0 ? ` (${[...this.allowed].join(', ')})` : '';
    return `cross-origin ${what} refused: Origin ${origin} is neither this server (${own}) nor in WEIR_ALLOWED_ORIGINS${listed}`;
  }
}
