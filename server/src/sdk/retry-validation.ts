import { parseDuration } from './duration.js';
import type { RetryPolicySpec } from './retry.js';

/** Returns what is wrong with a retry policy, or `undefined` when it is valid. */
export function validateRetryPolicy(policy: RetryPolicySpec): string | undefined {
  if (typeof policy !== 'object' || policy === null) return 'expected an object';
  const { maxAttempts, backoff, jitter, nonRetryable } = policy;
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 1)) {
    return `maxAttempts must be an integer ≥ 1 (got ${String(maxAttempts)})`;
  }
  if (backoff !== undefined && backoff !== 'fixed' && backoff !== 'exponential') {
    return `backoff must be 'fixed' or 'exponential' (got ${JSON.stringify(backoff)})`;
  }
  for (const field of ['delay', 'maxDelay'] as const) {
    const value = policy[field];
    if (value === undefined) continue;
    try {
      parseDuration(value);
    } catch (error) {
      return `${field}: ${(error as Error).message}`;
    }
  }
  if (
    policy.delay !== undefined &&
    policy.maxDelay !== undefined &&
    parseDuration(policy.maxDelay) < parseDuration(policy.delay)
  ) {
    return `maxDelay (${String(policy.maxDelay)}) is shorter than delay (${String(policy.delay)})`;
  }
  if (
    jitter !== undefined &&
    jitter !== 'none' &&
    jitter !== 'full' &&
    !(typeof jitter === 'number' && jitter >= 0 && jitter <= 1)
  ) {
    return `jitter must be 'none', 'full' or a number between 0 and 1 (got ${JSON.stringify(jitter)})`;
  }
  if (
    nonRetryable !== undefined &&
    (!Array.isArray(nonRetryable) || nonRetryable.some((c) => typeof c !== 'function'))
  ) {
    return 'nonRetryable must be a list of error classes';
  }
  return undefined;
}
