/** The answer of {@link RateLimiter.check}. */
export type RateLimitDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

export interface RateLimiterOptions {
  /** Failures a key may have within the window; one more is refused. */
  readonly limit: number;
  readonly windowMs: number;
  /** Milliseconds since the epoch; tests pass a fake. */
  readonly now?: () => number;
  /** Keys tracked at most; beyond, the least recently failing keys are forgotten. Default 10 000. */
  readonly maxKeys?: number;
}

/**
 * Counts failures per key (a client address) over a sliding window: a key with `limit`
 * failures in the last `windowMs` is refused until the oldest of them leaves the window.
 * Pure and in memory: each process limits what it sees.
 */
export class RateLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(private readonly options: RateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new Error('limit must be an integer ≥ 1');
    if (!(options.windowMs > 0)) throw new Error('windowMs must be > 0');
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** Whether `key` may try again now, and if not, for how long it has to wait. */
  check(key: string): RateLimitDecision {
    const recent = this.recent(key, this.now());
    if (recent.length < this.options.limit) return { allowed: true };
    const oldest = recent[recent.length - this.options.limit]!;
    return { allowed: false, retryAfterMs: Math.max(1, oldest + this.options.windowMs - this.now()) };
  }

  /** Counts one failure of `key`. */
  recordFailure(key: string): void {
    const now = this.now();
    const recent = this.recent(key, now);
    recent.push(now);
    // Re-inserting keeps the map ordered by last failure, so the oldest keys are dropped first.
    this.failures.delete(key);
    this.failures.set(key, recent.slice(-this.options.limit));
    if (this.failures.size > this.maxKeys) this.forgetOldest();
  }

  /** Keys currently tracked (for tests and metrics). */
  get size(): number {
    return this.failures.size;
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((at) => at > now - this.options.windowMs);
    if (times.length === 0) this.failures.delete(key);
    return times;
  }

  private forgetOldest(): void {
    // Expired keys first, then the least recently failing ones.
    const horizon = this.now() - this.options.windowMs;
    for (const [key, times] of this.failures) if (times.at(-1)! <= horizon) this.failures.delete(key);
    for (const key of this.failures.keys()) {
      if (this.failures.size <= this.maxKeys) break;
      this.failures.delete(key);
    }
  }
}
