import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/auth/rate-limiter.js';

function fakeClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('RateLimiter', () => {
  it('allows `limit` failures per window, then refuses until the oldest leaves the window', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: 3, windowMs: 60_000, now: clock.now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.check('10.0.0.1')).toEqual({ allowed: true });
      limiter.recordFailure('10.0.0.1');
      clock.advance(10_000);
    }
    // Failures at t0, t0+10s, t0+20s; now t0+30s: the first leaves the window at t0+60s.
    expect(limiter.check('10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 30_000 });
    clock.advance(29_999);
    expect(limiter.check('10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(limiter.check('10.0.0.1')).toEqual({ allowed: true });
    // One slot is free again: one more failure closes it until t0+70s.
    limiter.recordFailure('10.0.0.1');
    expect(limiter.check('10.0.0.1')).toEqual({ allowed: false, retryAfterMs: 10_000 });
  });

  it('counts each key on its own', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: 2, windowMs: 1_000, now: clock.now });
    limiter.recordFailure('a');
    limiter.recordFailure('a');
    expect(limiter.check('a').allowed).toBe(false);
    expect(limiter.check('b').allowed).toBe(true);
    clock.advance(1_000);
    expect(limiter.check('a').allowed).toBe(true);
  });

  it('forgets the least recently failing keys beyond maxKeys, expired ones first', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ limit: 1, windowMs: 1_000, now: clock.now, maxKeys: 3 });
    limiter.recordFailure('old');
    clock.advance(2_000);
    for (const key of ['a', 'b', 'c']) limiter.recordFailure(key);
    expect(limiter.size).toBe(3);
    limiter.recordFailure('d');
    expect(limiter.size).toBe(3);
    expect(limiter.check('a').allowed).toBe(true);
    expect(limiter.check('d').allowed).toBe(false);
  });

  it('rejects nonsensical limits', () => {
    expect(() => new RateLimiter({ limit: 0, windowMs: 1_000 })).toThrow(/limit/);
    expect(() => new RateLimiter({ limit: 1, windowMs: 0 })).toThrow(/windowMs/);
  });
});
