import type { AutomationService } from '../../automation/automation-service.js';
import type { BackfillRunner } from '../../backfills/backfill-runner.js';
import type { WeirEngine } from '../../engine/weir-engine.js';
import { roleAtLeast, type Principal, type Role } from '../../auth/principal.js';
import type { AssetStatusFeed } from '../live/asset-status-feed.js';
import type { EventFeed } from '../live/event-feed.js';
import { apiError } from './api-errors.js';
import type { RequestLoaders } from './request-loaders.js';

/** An API token as listed (never with its secret). */
export interface ApiTokenView {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** What the API needs of the auth service. */
export interface ApiAuth {
  authenticate(request: { headers: Record<string, string | string[] | undefined>; ip: string }): Promise<Principal>;
  createToken(input: { name: string; role: Role }): Promise<{ token: string; apiToken: ApiTokenView }>;
  revokeToken(idOrPrefix: string): Promise<ApiTokenView>;
  listTokens(): Promise<ApiTokenView[]>;
}

/** The services behind the API of one process. */
export interface ApiServices {
  readonly engine: WeirEngine;
  readonly auth: ApiAuth;
  readonly feed: EventFeed;
  readonly assetStatus: AssetStatusFeed;
  readonly automation?: AutomationService;
  readonly backfills?: BackfillRunner;
}

/** What every resolver receives. */
export interface GraphQLContext {
  readonly principal: Principal;
  readonly loaders: RequestLoaders;
  readonly services: ApiServices;
}

/** Refuses the call (FORBIDDEN, naming both roles) unless the caller has at least `role`. */
export function requireRole(context: GraphQLContext, role: Role, action: string): void {
  if (!roleAtLeast(context.principal.role, role))
    throw apiError(
      'FORBIDDEN',
      `${action} needs the ${role} role; token '${context.principal.tokenName}' is ${context.principal.role}`,
      {
        requiredRole: role,
      },
    );
}
