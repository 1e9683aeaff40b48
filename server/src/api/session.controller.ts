import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Post,
  Req,
  Res,
  UsePipes,
} from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import type { AuthService } from '../auth/auth-service.js';
import type { Principal, Role } from '../auth/principal.js';
import { PublicRoute } from '../auth/public-route.js';
import { arrivedOverHttps } from '../auth/session-cookie.js';
import { WEIR_AUTH } from './api-tokens.js';
import { InputLimitsPipe } from './input-limits.pipe.js';

/** Who a session or token belongs to, as the console shows it. */
export interface SessionView {
  readonly tokenId: string;
  readonly name: string;
  readonly role: Role;
}

/** What the handlers use of Express's response (express types are not a dependency). */
interface CookieResponse {
  setHeader(name: string, value: string): void;
}

/**
 * Console sign-in: `POST /api/session` with `{ token }` answers with an httpOnly session
 * cookie, which then authenticates REST and GraphQL requests in place of the token. Behind a
 * TLS-terminating proxy that sets `X-Forwarded-Proto: https` (or over TLS), the cookie is `Secure`.
 */
// NUL bytes and over-long strings are refused before any handler (see input-limits.ts).
@UsePipes(new InputLimitsPipe())
@Controller('api/session')
export class SessionController {
  constructor(@Inject(WEIR_AUTH) private readonly auth: AuthService | undefined) {}

  @Post()
  @PublicRoute()
  @HttpCode(200)
  async signIn(
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: CookieResponse,
  ): Promise<SessionView> {
    const token = (body as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || token === '')
      throw new BadRequestException('body must be JSON with the API token: { "token": "weir_…" }');
    const { setCookie, principal } = await this.service().createSession(
      token,
      request.ip ?? request.socket?.remoteAddress ?? 'unknown',
      { secure: arrivedOverHttps(request) },
    );
    response.setHeader('Set-Cookie', setCookie);
    return view(principal);
  }

  /**
   * Who am I: `{ signedIn: true, tokenId, name, role }` for a valid session cookie or token,
   * `{ signedIn: false }` otherwise. Public and 200 either way: being signed out is the normal
   * state of a console that just opened, not an error (browsers log every 401).
   */
  @Get()
  @PublicRoute()
  async whoAmI(
    @Req() request: AuthenticatedRequest,
  ): Promise<(SessionView & { signedIn: true }) | { signedIn: false }> {
    try {
      const principal = await this.service().authenticate({
        headers: request.headers,
        ip: request.ip ?? request.socket?.remoteAddress ?? 'unknown',
      });
      return { signedIn: true, ...view(principal) };
    } catch (error) {
      // A rate-limited caller learns that, not "signed out".
      if ((error as Error).name === 'RateLimitedError') throw error;
      return { signedIn: false };
    }
  }

  /** Signs out: ends the cookie's session and expires the cookie. Public, so an expired session can sign out too. */
  @Delete()
  @PublicRoute()
  @HttpCode(200)
  async signOut(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: CookieResponse,
  ): Promise<{ signedOut: true }> {
    response.setHeader(
      'Set-Cookie',
      await this.service().endSession(request.headers, { secure: arrivedOverHttps(request) }),
    );
    return { signedOut: true };
  }

  private service(): AuthService {
    if (!this.auth) throw new Error('the API was started without authentication');
    return this.auth;
  }
}

function view(principal: Principal): SessionView {
  return { tokenId: principal.tokenId, name: principal.tokenName, role: principal.role };
}
