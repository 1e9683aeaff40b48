/** Cancels a timer set with {@link Clock.setTimer}. */
export type CancelTimer = () => void;

/**
 * Time as the engine sees it. Production uses {@link systemClock}; tests use a manual clock
 * so retry and backoff behaviour is asserted without waiting or timing anything.
 */
export interface Clock {
  now(): Date;
  /** Calls `fire` once `at` has passed (at once if it already has). */
  setTimer(at: Date, fire: () => void): CancelTimer;
}

// setTimeout cannot wait longer than 2^31-1 ms; longer waits are chained.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(at, fire) {
    let handle: NodeJS.Timeout;
    // Node's timers run on a monotonic clock and often fire a millisecond before Date.now()
    // reaches the target (measured here: ~15% of timers). Callers then compare `now()` with the
    // time they stored ("is this retry due?") and would see it not yet due, and drop it. So
    // `fire` only runs once the wall clock has passed `at`; until then, wait again.
    const schedule = () => {
      const wait = at.getTime() - Date.now();
      if (wait > MAX_TIMEOUT_MS) handle = setTimeout(schedule, MAX_TIMEOUT_MS);
      else if (wait > 0) handle = setTimeout(schedule, wait);
      else handle = setTimeout(fire, 0);
      handle.unref?.();
    };
    schedule();
    return () => clearTimeout(handle);
  },
};

/** A clock that moves only when told to: `advance(ms)` fires the timers that fall due. */
export class ManualClock implements Clock {
  private current: number;
  private readonly timers = new Set<{ at: number; fire: () => void }>();

  constructor(start: Date = new Date('2026-01-01T00:00:00Z')) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  setTimer(at: Date, fire: () => void): CancelTimer {
    const timer = { at: at.getTime(), fire };
    this.timers.add(timer);
    if (timer.at <= this.current) queueMicrotask(() => this.fireDue());
    return () => this.timers.delete(timer);
  }

  /** Timers waiting to fire, earliest first (milliseconds from now). */
  pendingDelays(): number[] {
    return [...this.timers].map((t) => t.at - this.current).sort((a, b) => a - b);
  }

  advance(ms: number): void {
    this.current += ms;
    this.fireDue();
  }

  private fireDue(): void {
    const due = [...this.timers].filter((t) => t.at <= this.current).sort((a, b) => a.at - b.at);
    for (const timer of due) {
      this.timers.delete(timer);
      timer.fire();
    }
  }
}
