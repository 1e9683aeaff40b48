import type { DataSource, EntityManager } from 'typeorm';
import { appendEvents } from '../storage/event-log.js';
import { AuthError, RateLimitedError, TokenInputError, TokenNotFoundError } from './auth-errors.js';
import { isRole, ROLES, type Principal, type Role } from './principal.js';
import { RateLimiter } from './rate-limiter.js';
import {
  authorizationOf,
  expiredSessionCookie,
  sessionCookie,
  sessionSecretOf,
  type CookieOptions,
} from './session-cookie.js';
import { deleteSession, insertSession, sessionPrincipal } from './session-store.js';
import { formatToken, idPrefix, newSessionSecret, newTokenId, sha256, tokenPrefix } from './token-format.js';
import { hashSecret, verifySecret } from './token-hash.js';
import {
  anyToken,
  insertToken,
  listTokenViews,
  liveTokensWithPrefix,
  livePrincipal,
  matchingTokenIds,
  prefixInUse,
  revokeTokenRow,
  touchToken,
  type ApiTokenView,
} from './token-store.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

export type { ApiTokenView } from './token-store.js';

/** Headers as Node and Express give them. */
type Headers = Record<string, string | string[] | undefined>;

export interface AuthServiceOptions {
  /** Time as the service sees it; tests pass a fake. */
  readonly clock?: () => Date;
  /** Failed authentications per minute, per client address and token claimed, before it is refused. Default 10. */
  readonly failuresPerMinute?: number;
  /** How long a console session lasts. Default 12 hours. */
  readonly sessionTtlMs?: number;
}

const MISSING = "missing API token: send 'Authorization: Bearer <token>' (or sign in with POST /api/session)";
const INVALID = 'invalid or revoked API token';
const INVALID_SESSION = 'invalid or expired session: sign in again';
// A verified token is re-verified with scrypt after this long (revocation is checked every time).
const VERIFIED_TTL_MS = 60_000;
// last_used_at is written at most this often per token and process, not on every request.
const TOUCH_INTERVAL_MS = 60_000;
// Any constant works: it only has to be the same in every Weir process.
const BOOTSTRAP_LOCK = 'weir-auth:bootstrap';
/** Name of the token {@link AuthService.bootstrapAdminToken} creates. */
export const FIRST_ADMIN_TOKEN_NAME = 'admin (first start)';

/**
 * API tokens and sessions. A token (`weir_<id prefix>_<secret>`) is shown once at creation and
 * stored as a salted scrypt hash; a console session is an httpOnly cookie whose secret is
 * stored as a SHA-256. Every authentication checks in the database that the token is not
 * revoked, so a revocation holds at once in every process. Failed authentications are limited
 * per client address and token id prefix (see {@link failureKey}). Tokens and secrets are never logged nor written to the event log.
 */
export class AuthService {
  private readonly clock: () => Date;
  private readonly limiter: RateLimiter;
  private readonly verified: VerifiedTokenCache;
  private readonly sessionTtlMs: number;
  private readonly touchedAt = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    options: AuthServiceOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    const now = () => this.clock().getTime();
    this.limiter = new RateLimiter({ limit: options.failuresPerMinute ?? 10, windowMs: 60_000, now });
    this.verified = new VerifiedTokenCache(VERIFIED_TTL_MS, now);
    this.sessionTtlMs = options.sessionTtlMs ?? 12 * 60 * 60 * 1000;
  }

  /** Bearer token in `authorization`, else the `weir_session` cookie. Throws AuthError (401) or RateLimitedError (429). */
  async authenticate(request: { headers: Headers; ip: string }): Promise<Principal> {
    const authorization = authorizationOf(request.headers);
    if (authorization !== undefined) {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      if (!token) throw new AuthError("unsupported Authorization header: send 'Authorization: Bearer <token>'");
      return this.verifyToken(token, request.ip);
    }
    const secret = sessionSecretOf(request.headers);
    if (secret !== undefined) return this.verifySession(secret, request.ip);
    throw new AuthError(MISSING);
  }

  /** Creates a token; the returned `token` is the only time it is shown. */
  async createToken(input: { name: string; role: Role }): Promise<{ token: string; apiToken: ApiTokenView }> {
    const { name, role } = validated(input);
    const prepared = await this.prepare(async (prefix) => !(await prefixInUse(this.dataSource.manager, prefix)));
    const apiToken = await this.dataSource.transaction((manager) => this.store(manager, prepared, name, role));
    return { token: prepared.token, apiToken };
  }

  /**
   * Revokes the token with this id or unique id prefix (or the token itself, by the id prefix it
   * carries); its sessions end. Throws TokenNotFoundError naming it.
   */
  async revokeToken(idOrPrefix: string): Promise<ApiTokenView> {
    const wanted = tokenPrefix(idOrPrefix.trim()) ?? idOrPrefix.trim().toLowerCase();
    // Whatever does not look like an id is not echoed whole: it may be a secret pasted by mistake.
    if (!/^[0-9a-f-]{1,36}$/.test(wanted))
      throw new TokenNotFoundError(wanted.length > 12 ? `${wanted.slice(0, 8)}…` : wanted);
    if (wanted.length < 4) throw new TokenInputError(`give at least 4 characters of the token id (got '${wanted}')`);
    const view = await this.dataSource.transaction(async (manager) => {
      const ids = await matchingTokenIds(manager, wanted);
      if (ids.length === 0) throw new TokenNotFoundError(idOrPrefix);
      if (ids.length > 1)
        throw new TokenInputError(`'${wanted}' matches several API tokens (${ids.join(', ')}): give more of the id`);
      const { view, revoked } = await revokeTokenRow(manager, ids[0]!, this.clock());
      if (revoked) {
        await appendEvents(manager, [
          {
            type: 'auth.token_revoked',
            message: `API token ${idPrefix(view.id)} '${view.name}' (${view.role}) revoked`,
            data: { tokenId: view.id, name: view.name, role: view.role },
          },
        ]);
      }
      return view;
    });
    this.verified.forgetToken(view.id);
    return view;
  }

  /** Every token, revoked ones included, oldest first. */
  listTokens(): Promise<ApiTokenView[]> {
    return listTokenViews(this.dataSource.manager);
  }

  /** Verifies the token (rate limited like authenticate) and returns a Set-Cookie header value: httpOnly, SameSite=Strict, Path=/, Max-Age (and Secure when asked). */
  async createSession(
    token: string,
    ip: string,
    cookie: CookieOptions = {},
  ): Promise<{ setCookie: string; principal: Principal }> {
    const principal = await this.verifyToken(token, ip);
    const secret = newSessionSecret();
    const createdAt = this.clock();
    await insertSession(this.dataSource.manager, {
      idHash: sha256(secret),
      tokenId: principal.tokenId,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + this.sessionTtlMs),
    });
    return { setCookie: sessionCookie(secret, this.sessionTtlMs / 1000, cookie), principal };
  }

  /** Ends the session of the request's cookie (if any) and returns a Set-Cookie value that expires it. */
  async endSession(headers: Headers, cookie: CookieOptions = {}): Promise<string> {
    const secret = sessionSecretOf(headers);
    if (secret !== undefined) await deleteSession(this.dataSource.manager, sha256(secret));
    return expiredSessionCookie(cookie);
  }

  /**
   * Creates and returns an admin token only when no token exists yet, revoked ones included
   * (under a PG advisory lock, so two servers starting together create one).
   */
  async bootstrapAdminToken(): Promise<string | null> {
    // Nothing can hold this prefix yet when there is no token at all.
    const prepared = await this.prepare(async () => true);
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [BOOTSTRAP_LOCK]);
      if (await anyToken(manager)) return null;
      await this.store(manager, prepared, FIRST_ADMIN_TOKEN_NAME, 'admin');
      return prepared.token;
    });
  }

  private async verifyToken(token: string, ip: string): Promise<Principal> {
    const manager = this.dataSource.manager;
    const key = sha256(token);
    const prefix = tokenPrefix(token);
    const cachedId = this.verified.get(key);
    if (cachedId !== undefined) {
      const principal = await livePrincipal(manager, cachedId);
      if (principal) return this.used(principal);
      this.verified.forgetToken(cachedId);
      return this.fail(failureKey(ip, `token:${prefix}`), INVALID);
    }
    // The prefix is no secret (it is part of the token id), so an unknown one may answer faster.
    const rows = prefix ? await liveTokensWithPrefix(manager, prefix) : [];
    // Failures count per address and per token claimed: guessing one token's secret locks that
    // token out from that address, never the valid tokens of others behind the same proxy.
    // Guesses at no live token share one key per address (so they cannot flood the limiter).
    const limited = failureKey(ip, rows.length > 0 ? `token:${prefix}` : 'unknown token');
    this.admit(limited);
    for (const row of rows) {
      if (await verifySecret(token, row.salt, row.hash)) {
        this.verified.set(key, row.id);
        return this.used({ tokenId: row.id, tokenName: row.name, role: row.role });
      }
    }
    return this.fail(limited, INVALID);
  }

  private async verifySession(secret: string, ip: string): Promise<Principal> {
    // A session lookup is one indexed read of a SHA-256 (no scrypt): a valid session is never
    // refused, and only the address's failed lookups are limited.
    const principal = await sessionPrincipal(this.dataSource.manager, sha256(secret), this.clock());
    if (principal) return this.used(principal);
    const limited = failureKey(ip, 'session');
    this.admit(limited);
    return this.fail(limited, INVALID_SESSION);
  }

  private admit(limited: string): void {
    const decision = this.limiter.check(limited);
    if (!decision.allowed) throw new RateLimitedError(Math.ceil(decision.retryAfterMs / 1000));
  }

  private fail(limited: string, message: string): never {
    this.limiter.recordFailure(limited);
    throw new AuthError(message);
  }

  private async used(principal: Principal): Promise<Principal> {
    const now = this.clock();
    const last = this.touchedAt.get(principal.tokenId);
    if (last === undefined || now.getTime() - last >= TOUCH_INTERVAL_MS) {
      this.touchedAt.set(principal.tokenId, now.getTime());
      await touchToken(this.dataSource.manager, principal.tokenId, now);
    }
    return principal;
  }

  /** A new token id, the token and its hash; `free` says whether an id prefix is unused. */
  private async prepare(free: (prefix: string) => Promise<boolean>): Promise<PreparedToken> {
    for (let tries = 0; tries < 10; tries++) {
      const id = newTokenId();
      if (!(await free(idPrefix(id)))) continue;
      const token = formatToken(id);
      return { id, token, ...(await hashSecret(token)) };
    }
    throw new Error('could not find an unused token id prefix');
  }

  private async store(
    manager: EntityManager,
    prepared: PreparedToken,
    name: string,
    role: Role,
  ): Promise<ApiTokenView> {
    const view = await insertToken(manager, {
      id: prepared.id,
      salt: prepared.salt,
      hash: prepared.hash,
      name,
      role,
      createdAt: this.clock(),
    });
    await appendEvents(manager, [
      {
        type: 'auth.token_created',
        message: `API token ${idPrefix(view.id)} '${name}' created with the ${role} role`,
        data: { tokenId: view.id, name, role },
      },
    ]);
    return view;
  }
}

/**
 * What failed authentications are counted under: the client address and what the attempt
 * claimed (a token id prefix, "unknown token", "session"), never the secret itself.
 */
export function failureKey(ip: string, claimed: string): string {
  return `${ip} ${claimed}`;
}

interface PreparedToken {
  readonly id: string;
  readonly token: string;
  readonly salt: string;
  readonly hash: string;
}

function validated(input: { name: unknown; role: unknown }): { name: string; role: Role } {
  if (input.role === undefined || input.role === null)
    throw new TokenInputError(`a token needs a role: one of ${ROLES.join(', ')}`);
  if (!isRole(input.role))
    throw new TokenInputError(`unknown role '${String(input.role)}': expected one of ${ROLES.join(', ')}`);
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '' || name.length > 100 || /\p{Cc}/u.test(name))
    throw new TokenInputError(
      `a token needs a name of 1 to 100 printable characters (got ${JSON.stringify(input.name)})`,
    );
  return { name, role: input.role };
}
