import type { Role } from './principal.js';

/** No credential, or one that is unknown, revoked or expired (HTTP 401). */
export class AuthError extends Error {
  readonly status = 401;

  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

/** The caller is authenticated but its role is too weak for the request (HTTP 403). */
export class ForbiddenRoleError extends Error {
  readonly status = 403;

  constructor(
    readonly required: Role,
    readonly actual: Role,
  ) {
    super(`this needs the ${required} role or stronger; the caller's token has the ${actual} role`);
    this.name = 'ForbiddenRoleError';
  }
}

/** Too many failed authentications from one client: refused until the window passes (HTTP 429). */
export class RateLimitedError extends Error {
  readonly status = 429;

  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed authentications from this client: try again in ${retryAfterSeconds}s`);
    this.name = 'RateLimitedError';
  }
}

/** No API token has the given id or id prefix (HTTP 404). */
export class TokenNotFoundError extends Error {
  readonly status = 404;

  constructor(readonly idOrPrefix: string) {
    super(`no API token matches '${idOrPrefix}' (give its id or a unique prefix of it; see \`weir token list\`)`);
    this.name = 'TokenNotFoundError';
  }
}

/** A token request that cannot be honoured as given: bad role or name, ambiguous id prefix (HTTP 400). */
export class TokenInputError extends Error {
  readonly status = 400;

  constructor(message: string) {
    super(message);
    this.name = 'TokenInputError';
  }
}
