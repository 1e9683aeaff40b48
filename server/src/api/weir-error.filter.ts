import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';
import { loggableError } from '../storage/statement-logger.js';
import { truncateEchoes } from './echo-input.js';

// Errors that mean "your request is wrong" rather than "Weir broke"; recognised by name so
// that copies of the classes from another module instance still match.
const BAD_REQUEST = new Set([
  'SelectionError',
  'EmptySelectionError',
  'AssetDefinitionError',
  'ConfigError',
  'PartitionError',
  'RunConfigError',
  'TokenInputError',
]);

// The request is fine but the run (or backfill) is not in a state that allows it.
const CONFLICT = new Set(['ReexecutionError', 'CancellationError', 'BackfillRetryError']);

// Authentication and authorization (src/auth/auth-errors.ts).
const AUTH_STATUS: Readonly<Record<string, number>> = {
  AuthError: 401,
  ForbiddenRoleError: 403,
  TokenNotFoundError: 404,
  RateLimitedError: 429,
};

// Express's response, typed to what we use (express types are not a dependency).
interface JsonResponse {
  status(code: number): { json(body: unknown): void };
  setHeader(name: string, value: string): void;
}

/** Turns errors into JSON `{ statusCode, error, message }` responses that name the culprit. */
@Catch()
export class WeirErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (error instanceof HttpException) {
      const body = error.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
      response
        .status(error.getStatus())
        .json({ statusCode: error.getStatus(), error: error.name, message: echoed(message) });
      return;
    }
    const name = (error as Error)?.name ?? 'Error';
    const status = AUTH_STATUS[name] ?? (BAD_REQUEST.has(name) ? 400 : CONFLICT.has(name) ? 409 : 500);
    if (name === 'AuthError') response.setHeader('WWW-Authenticate', 'Bearer');
    if (name === 'RateLimitedError')
      response.setHeader('Retry-After', String((error as { retryAfterSeconds?: number }).retryAfterSeconds ?? 60));
    if (status === 500) console.error('weir: request failed:', loggableError(error));
    response
      .status(status)
      .json({ statusCode: status, error: name, message: echoed((error as Error)?.message ?? String(error)) });
  }
}

// Messages that quote the caller's input (an unknown key) quote at most a few hundred characters of it.
function echoed(message: unknown): unknown {
  if (typeof message === 'string') return truncateEchoes(message);
  return Array.isArray(message) ? message.map(echoed) : message;
}
