import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { WEIR_AUTH } from '../api/api-tokens.js';
import { ForbiddenRoleError } from './auth-errors.js';
import type { AuthService } from './auth-service.js';
import { roleAtLeast, type Principal, type Role } from './principal.js';
import { PUBLIC_ROUTE } from './public-route.js';
import { REQUIRED_ROLE } from './require-role.js';

/** What the guard reads of an Express request, and the principal it adds. */
export interface AuthenticatedRequest {
  readonly method: string;
  readonly path: string;
  readonly ip?: string;
  readonly socket?: { remoteAddress?: string; encrypted?: boolean };
  readonly headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every REST request needs a valid token or session (GraphQL authenticates in its own context):
 * the viewer role reads, the operator role changes things, unless the handler says otherwise
 * with `@RequireRole` or is a `@PublicRoute()`. Sets `request.principal`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(WEIR_AUTH) private readonly auth: AuthService | undefined,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.path === '/graphql' || request.path.startsWith('/graphql/')) return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets)) return true;
    // Fail closed: an API started without an AuthService serves nothing but public routes.
    if (!this.auth) throw new Error('the API was started without authentication: refusing the request');
    const principal = await this.auth.authenticate({
      headers: request.headers,
      ip: request.ip ?? request.socket?.remoteAddress ?? 'unknown',
    });
    const required: Role =
      this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, targets) ??
      (READ_METHODS.has(request.method.toUpperCase()) ? 'viewer' : 'operator');
    if (!roleAtLeast(principal.role, required)) throw new ForbiddenRoleError(required, principal.role);
    request.principal = principal;
    return true;
  }
}
