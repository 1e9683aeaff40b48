import type { ArgumentsHost } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import {
  AuthError,
  ForbiddenRoleError,
  RateLimitedError,
  TokenInputError,
  TokenNotFoundError,
} from '../../src/auth/auth-errors.js';
import { WeirErrorFilter } from '../../src/api/weir-error.filter.js';

/** Runs the filter on `error` against a recording stand-in for Express's response. */
function respond(error: unknown) {
  const recorded = { status: 0, body: undefined as unknown, headers: {} as Record<string, string> };
  const response = {
    status(code: number) {
      recorded.status = code;
      return { json: (body: unknown) => (recorded.body = body) };
    },
    setHeader(name: string, value: string) {
      recorded.headers[name] = value;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new WeirErrorFilter().catch(error, host);
  return recorded;
}

describe('auth errors over HTTP', () => {
  it('map to 401 (with WWW-Authenticate), 403, 404, 400 and 429 (with Retry-After)', () => {
    const unauthorized = respond(new AuthError('invalid or revoked API token'));
    expect(unauthorized).toMatchObject({
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer' },
      body: { statusCode: 401, error: 'AuthError', message: 'invalid or revoked API token' },
    });
    const forbidden = respond(new ForbiddenRoleError('admin', 'viewer'));
    expect(forbidden.status).toBe(403);
    expect((forbidden.body as { message: string }).message).toBe(
      "this needs the admin role or stronger; the caller's token has the viewer role",
    );
    expect(respond(new TokenNotFoundError('abcd1234')).status).toBe(404);
    expect(respond(new TokenInputError('unknown role')).status).toBe(400);
    expect(respond(new RateLimitedError(42))).toMatchObject({
      status: 429,
      headers: { 'Retry-After': '42' },
      body: { error: 'RateLimitedError' },
    });
  });
});
