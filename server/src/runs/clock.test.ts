import { describe, expect, it } from 'vitest';
import { systemClock } from './clock.js';

describe('systemClock.setTimer', () => {
  // Node's timers often fire a millisecond before Date.now() reaches their target. A retry timer
  // that fired early found its step "not due yet" and the retry was lost (a run of `weir dev`
  // then waited forever). Many short timers make an early one near certain without the guard.
  it('fires only once the wall clock has reached the target time', async () => {
    const early: number[] = [];
    const timers = Array.from({ length: 400 }, (_, i) => {
      const at = new Date(Date.now() + 2 + (i % 40));
      return new Promise<void>((resolve) =>
        systemClock.setTimer(at, () => {
          const now = Date.now();
          if (now < at.getTime()) early.push(at.getTime() - now);
          resolve();
        }),
      );
    });
    await Promise.all(timers);
    expect(early).toEqual([]);
  });

  it('does not fire once cancelled', async () => {
    let fired = false;
    const cancel = systemClock.setTimer(new Date(Date.now() + 5), () => (fired = true));
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fired).toBe(false);
  });
});
