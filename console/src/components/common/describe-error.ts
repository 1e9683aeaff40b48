/**
 * Turns any failure into a heading and a sentence for people: the codes of the API
 * (see schema.graphql.ts) become advice ("ask an admin", "check the address").
 */
export interface DescribedError {
  title: string;
  message: string;
  /** The machine code, when there is one (shown small, useful in bug reports). */
  code?: string;
}

const TITLES: Record<string, string> = {
  NOT_FOUND: 'Not found',
  FORBIDDEN: 'Not allowed',
  UNAUTHENTICATED: 'Signed out',
  BAD_USER_INPUT: 'Invalid request',
  CONFLICT: 'Not possible right now',
  RATE_LIMITED: 'Too many requests',
  QUERY_TOO_COMPLEX: 'Request too large',
  NETWORK_ERROR: 'Cannot reach the server',
};

const ADVICE: Record<string, string> = {
  FORBIDDEN: 'Your role does not allow this. Ask an admin for an operator token.',
  UNAUTHENTICATED: 'Your session has ended. Sign in again.',
  RATE_LIMITED: 'Wait a moment and try again.',
  NETWORK_ERROR: 'Check that the Weir server is running, then try again.',
};

/** A heading, a sentence and the code of `error` (a GraphQLRequestError, an Error or a string). */
export function describeError(error: unknown): DescribedError {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : 'Something went wrong.';
  const advice = code ? ADVICE[code] : undefined;
  return {
    title: (code && TITLES[code]) || 'Something went wrong',
    message: advice ? `${raw} ${advice}` : raw,
    code,
  };
}
