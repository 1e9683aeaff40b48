/**
 * Counts operations in flight per key (a token): at most `limit` at once, the excess refused.
 * Pure and in memory: each process limits what it runs.
 */
export class InFlightLimiter {
  private readonly running = new Map<string, number>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error('limit must be an integer ≥ 1');
  }

  /** Takes a slot for `key`; returns the function that gives it back, or null when all are taken. */
  tryAcquire(key: string): (() => void) | null {
    const count = this.running.get(key) ?? 0;
    if (count >= this.limit) return null;
    this.running.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(key) ?? 1) - 1;
      if (left <= 0) this.running.delete(key);
      else this.running.set(key, left);
    };
  }

  /** Operations in flight for `key`. */
  inFlight(key: string): number {
    return this.running.get(key) ?? 0;
  }
}
