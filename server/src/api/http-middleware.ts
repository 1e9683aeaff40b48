/** The parts of Express's request, response and middleware signature used here (express types are not a dependency). */
export interface MiddlewareRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly socket?: { readonly encrypted?: boolean };
}

export interface MiddlewareResponse {
  status(code: number): { json(body: unknown): void };
  setHeader(name: string, value: string): void;
}

export type Middleware = (request: MiddlewareRequest, response: MiddlewareResponse, next: () => void) => void;

/** Answers like WeirErrorFilter does: `{ statusCode, error, message }`. */
export function refuse(response: MiddlewareResponse, statusCode: number, error: string, message: string): void {
  response.status(statusCode).json({ statusCode, error, message });
}
