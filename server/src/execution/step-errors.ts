import type { SerializedError } from './isolate/step-task.js';
import { IsolateFailure } from './isolate/isolate-failure.js';
import { redactSecrets } from '../sdk/redact.js';

/** How a step's failure is told: Weir's own errors, the asset code's as they crossed back, and their stored form. */

/** A failure of Weir's own making around the step, not of the asset code: never retried. */
export class SystemError extends Error {}

/** What the asset code threw in its isolate, as it crossed back. */
export class IsolatedError extends Error {
  readonly nonRetryable: boolean;
  readonly system: boolean;
  constructor(error: SerializedError) {
    super(error.message);
    this.name = error.name;
    this.stack = error.stack ?? undefined;
    this.nonRetryable = error.nonRetryable;
    this.system = error.system ?? false;
  }
}

/** An attempt's error as it is stored; redacted here too (an isolate's crash is reported by this process). */
export function describeError(error: unknown): { message: string; stack: string | null } {
  return redactSecrets(rawDescription(error));
}

function rawDescription(error: unknown): { message: string; stack: string | null } {
  if (error instanceof IsolateFailure) return { message: error.message, stack: error.isolateStack };
  if (error instanceof Error) return { message: error.message || error.name, stack: error.stack ?? null };
  return { message: `non-Error value thrown: ${String(error)}`, stack: null };
}
