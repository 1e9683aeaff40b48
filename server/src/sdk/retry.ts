import type { Duration } from './duration.js';

/**
 * How a failed step is retried. Every field is optional; missing fields come from the
 * project-wide default (`WEIR_RETRY_*` config), whose own default is 3 attempts with
 * exponential backoff from 1s, capped at 5m, with full jitter.
 */
export interface RetryPolicySpec {
  /** Total tries including the first one. `1` means "never retry". */
  readonly maxAttempts?: number;
  /** `'fixed'` waits `delay` every time; `'exponential'` waits `delay * 2^(attempt-1)`. */
  readonly backoff?: 'fixed' | 'exponential';
  /** Base wait before the next try. */
  readonly delay?: Duration;
  /** Upper bound of any single wait (applied before jitter). */
  readonly maxDelay?: Duration;
  /**
   * Randomisation of the wait, so that many failing steps do not retry in lock-step:
   * `'none'`, `'full'` (uniform in [0, wait]) or a fraction `0..1` (wait ± fraction).
   */
  readonly jitter?: 'none' | 'full' | number;
  /** Error classes that fail the step at once, without another try. */
  readonly nonRetryable?: ReadonlyArray<abstract new (...args: never[]) => Error>;
}

/**
 * Throw this (or a subclass) from `materialize` to fail the step at once: no retry is
 * attempted whatever the asset's retry policy says. Use it for errors that another try
 * cannot fix, such as invalid configuration or malformed input data.
 */
export class NonRetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}
