import { parseDuration } from '../sdk/duration.js';
import type { RetryPolicySpec } from '../sdk/retry.js';

/** A retry policy with every field decided. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly backoff: 'fixed' | 'exponential';
  readonly delayMs: number;
  readonly maxDelayMs: number;
  readonly jitter: 'none' | 'full' | number;
  readonly nonRetryable: ReadonlyArray<abstract new (...args: never[]) => Error>;
}

export type RetryDecision =
  { readonly retry: true; readonly delayMs: number } | { readonly retry: false; readonly reason: string };

/** Merges an asset's policy over the project default. Both were validated at load. */
export function resolveRetryPolicy(spec: RetryPolicySpec | undefined, defaults: RetryPolicySpec): RetryPolicy {
  const merged = {
    ...defaults,
    ...Object.fromEntries(Object.entries(spec ?? {}).filter(([, v]) => v !== undefined)),
  } as RetryPolicySpec;
  return {
    maxAttempts: merged.maxAttempts ?? 3,
    backoff: merged.backoff ?? 'exponential',
    delayMs: parseDuration(merged.delay ?? '1s'),
    maxDelayMs: parseDuration(merged.maxDelay ?? '5m'),
    jitter: merged.jitter ?? 'full',
    nonRetryable: merged.nonRetryable ?? [],
  };
}

const NON_RETRYABLE_BRAND = 'NonRetryableError';

/**
 * True when another try cannot help: a `NonRetryableError` (recognised by name, so errors
 * thrown by a second copy of the SDK still count) or one of the policy's error classes.
 */
export function isNonRetryable(error: unknown, policy: RetryPolicy): boolean {
  if (!(error instanceof Error) && !(typeof error === 'object' && error !== null)) return false;
  for (let proto: unknown = error; proto; proto = Object.getPrototypeOf(proto)) {
    if ((proto as { name?: unknown }).name === NON_RETRYABLE_BRAND && proto !== Error.prototype) return true;
    if ((proto as { constructor?: { name?: string } }).constructor?.name === NON_RETRYABLE_BRAND) return true;
  }
  return policy.nonRetryable.some((errorClass) => error instanceof (errorClass as unknown as new () => Error));
}

/** The wait before try `nextAttempt` (2 = first retry), before jitter. */
export function baseDelay(policy: RetryPolicy, nextAttempt: number): number {
  const factor = policy.backoff === 'exponential' ? 2 ** Math.max(0, nextAttempt - 2) : 1;
  return Math.min(policy.delayMs * factor, policy.maxDelayMs);
}

/** Applies the policy's jitter to a wait; `random` returns values in [0, 1). */
export function applyJitter(delayMs: number, jitter: RetryPolicy['jitter'], random: () => number): number {
  if (jitter === 'none' || jitter === 0) return delayMs;
  if (jitter === 'full') return Math.round(random() * delayMs);
  return Math.max(0, Math.round(delayMs * (1 - jitter + 2 * jitter * random())));
}

/**
 * Decides what follows a failed attempt number `attempt` (1-based): another try after a
 * delay, or failure, and why.
 */
export function decideRetry(
  policy: RetryPolicy,
  attempt: number,
  error: unknown,
  random: () => number = Math.random,
): RetryDecision {
  if (isNonRetryable(error, policy)) return { retry: false, reason: 'the error is marked non-retryable' };
  if (attempt >= policy.maxAttempts) {
    return { retry: false, reason: `no attempts left (${attempt} of ${policy.maxAttempts} used)` };
  }
  return { retry: true, delayMs: applyJitter(baseDelay(policy, attempt + 1), policy.jitter, random) };
}
