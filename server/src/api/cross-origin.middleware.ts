import type { OriginPolicy } from '../auth/origin-policy.js';
import { refuse, type Middleware } from './http-middleware.js';

/**
 * Refuses state-changing requests (REST and GraphQL over HTTP) that a page of another origin
 * could have forged with the visitor's session cookie; see {@link OriginPolicy.refusalOf}. Runs
 * before body parsing and authentication, so a refused request reads and writes nothing.
 */
export function crossOriginMiddleware(policy: OriginPolicy): Middleware {
  return (request, response, next) => {
    const refusal = policy.refusalOf(request);
    if (refusal === undefined) return next();
    refuse(response, 403, 'CrossOriginRequestError', `${request.method} ${request.path}: ${refusal}`);
  };
}
