import { SetMetadata } from '@nestjs/common';

/** Metadata key of {@link PublicRoute}. */
export const PUBLIC_ROUTE = 'weir:public-route';

/**
 * Marks a REST handler (or controller) as reachable without a token: only probes that reveal
 * nothing about the project to anonymous callers (`/healthz`, `/readyz`) and the session
 * endpoints use it.
 */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);
