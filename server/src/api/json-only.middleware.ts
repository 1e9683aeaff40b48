import { refuse, type Middleware } from './http-middleware.js';

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The REST API: GraphQL has its own content-type rules (Apollo's CSRF prevention). */
const REST_PATH = /^\/api(\/|$)/;

function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = Number(headers['content-length'] ?? 0);
  return headers['transfer-encoding'] !== undefined || (Number.isFinite(length) && length > 0);
}

/**
 * REST mutations take JSON only (415 otherwise). HTML forms can only send form-encoded,
 * multipart or plain-text bodies without a CORS preflight, so accepting nothing else keeps
 * forms on other sites from reaching a handler; a request without a body (`cancel`, sign-out)
 * needs no content type.
 */
export function jsonOnlyMiddleware(): Middleware {
  return (request, response, next) => {
    if (!MUTATIONS.has(request.method.toUpperCase()) || !REST_PATH.test(request.path)) return next();
    const raw = request.headers['content-type'];
    const type = (Array.isArray(raw) ? raw[0] : raw)?.split(';')[0]?.trim().toLowerCase();
    if (type === 'application/json' || (type === undefined && !hasBody(request.headers))) return next();
    refuse(
      response,
      415,
      'UnsupportedMediaTypeError',
      `${request.method} ${request.path} accepts only application/json bodies (got ${type ?? 'a body without Content-Type'}): send 'Content-Type: application/json'`,
    );
  };
}
