import { Body, Controller, Delete, Get, Header, Inject, Param, Post, UsePipes } from '@nestjs/common';
import type { ApiTokenView, AuthService } from '../auth/auth-service.js';
import type { Role } from '../auth/principal.js';
import { RequireRole } from '../auth/require-role.js';
import { WEIR_AUTH } from './api-tokens.js';
import { InputLimitsPipe } from './input-limits.pipe.js';

/** REST for API tokens, what `weir token` uses while `weir dev` holds the data directory. Admins only. */
// NUL bytes and over-long strings are refused before any handler (see input-limits.ts).
@UsePipes(new InputLimitsPipe())
@Controller('api/tokens')
@RequireRole('admin')
export class TokensController {
  constructor(@Inject(WEIR_AUTH) private readonly auth: AuthService | undefined) {}

  @Get()
  list(): Promise<ApiTokenView[]> {
    return this.service().listTokens();
  }

  /** Body `{ name, role }`; the answer holds the token, the only time it is shown. */
  @Post()
  @Header('Cache-Control', 'no-store')
  create(@Body() body: unknown): Promise<{ token: string; apiToken: ApiTokenView }> {
    const { name, role } = (body ?? {}) as { name?: unknown; role?: unknown };
    // The service validates both and names the culprit.
    return this.service().createToken({ name: name as string, role: role as Role });
  }

  /** Revokes a token by id or unique id prefix; its sessions end at once. */
  @Delete(':id')
  revoke(@Param('id') id: string): Promise<ApiTokenView> {
    return this.service().revokeToken(id);
  }

  private service(): AuthService {
    if (!this.auth) throw new Error('the API was started without authentication');
    return this.auth;
  }
}
