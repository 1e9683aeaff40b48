import { ArgumentsHost, Catch, HttpException, type ExceptionFilter } from '@nestjs/common';

// Errors that mean "your request is wrong" rather than "Weir broke"; recognised by name so
// that copies of the classes from another module instance still match.
const BAD_REQUEST = new Set([
  'SelectionError',
  'EmptySelectionError',
  'AssetDefinitionError',
  'ConfigError',
  'PartitionError',
]);

// The request is fine but the run is not in a state that allows it.
const CONFLICT = new Set(['ReexecutionError', 'CancellationError']);

/** Turns errors into JSON `{ statusCode, error, message }` responses that name the culprit. */
@Catch()
export class WeirErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    // Express's response, typed to what we use (express types are not a dependency).
    const response = host.switchToHttp().getResponse<{ status(code: number): { json(body: unknown): void } }>();
    if (error instanceof HttpException) {
      const body = error.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
      response.status(error.getStatus()).json({ statusCode: error.getStatus(), error: error.name, message });
      return;
    }
    const name = (error as Error)?.name ?? 'Error';
    const status = BAD_REQUEST.has(name) ? 400 : CONFLICT.has(name) ? 409 : 500;
    if (status === 500) console.error('weir: request failed:', error);
    response
      .status(status)
      .json({ statusCode: status, error: name, message: (error as Error)?.message ?? String(error) });
  }
}
