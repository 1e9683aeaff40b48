import { describe, expect, it } from 'vitest';
import { InFlightLimiter } from './in-flight-limiter.js';

describe('InFlightLimiter', () => {
  it('allows `limit` at once per key, refuses one more, and frees a slot on release (once)', () => {
    const limiter = new InFlightLimiter(2);
    const first = limiter.tryAcquire('viewer')!;
    const second = limiter.tryAcquire('viewer')!;
    expect(limiter.tryAcquire('viewer')).toBeNull();
    expect(limiter.tryAcquire('operator')).not.toBeNull();
    first();
    first(); // a second release gives nothing back twice
    expect(limiter.inFlight('viewer')).toBe(1);
    expect(limiter.tryAcquire('viewer')).not.toBeNull();
    expect(limiter.tryAcquire('viewer')).toBeNull();
    second();
    expect(limiter.inFlight('viewer')).toBe(1);
  });

  it('refuses a limit below 1', () => {
    expect(() => new InFlightLimiter(0)).toThrow(/limit must be an integer/);
  });
});
