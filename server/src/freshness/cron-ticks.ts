import { CronExpressionParser, type CronExpression } from 'cron-parser';

// Ticks computed step by step from the cached run before giving up on extending it.
const MAX_EXTENSION = 512;
// A cached run longer than this is dropped and started again (bounded memory in long-lived servers).
const MAX_CACHED = 8_192;

/**
 * The ticks of one cron schedule, with the consecutive ticks already computed kept in a sorted
 * run. cron-parser takes ~15µs per tick in UTC and ~80µs in another time zone; assets sharing a
 * schedule and materialized around the same times then cost a binary search each, which is what
 * makes an evaluation pass over 10k assets cheap.
 */
export class CronTicks {
  private readonly expression: CronExpression;
  /** Consecutive ticks (each the next of the previous), epoch ms, ascending. */
  private run: number[] = [];

  constructor(cron: string, timezone: string) {
    this.expression = CronExpressionParser.parse(cron, { tz: timezone });
  }

  /** The first tick at or after `t` (epoch ms). */
  atOrAfter(t: number): number {
    const run = this.run;
    if (run.length > 1 && t > run[0]! && t <= run[run.length - 1]!) return run[firstAtOrAbove(run, t)]!;
    if (run.length === 0 || run.length >= MAX_CACHED) return this.restartAt(t);
    if (run.length === 1) {
      run.push(this.next(run[0]!));
      if (t > run[0]! && t <= run[1]!) return run[1]!;
    }
    const first = run[0]!;
    const last = run[run.length - 1]!;
    // Far from the cached run (estimated in ticks): one direct computation, and a new run there.
    const spacing = (last - first) / (run.length - 1);
    if ((t > last ? t - last : first - t) / spacing > MAX_EXTENSION) return this.restartAt(t);
    if (t <= first) {
      const before: number[] = [];
      let earliest = first;
      for (let i = 0; i < 2 * MAX_EXTENSION; i++) {
        const previous = this.previous(earliest);
        if (previous === null || previous < t) {
          // The tick before t is kept too: times between it and t hit the cache from now on.
          this.run = [...(previous === null ? [] : [previous]), ...before.reverse(), ...run];
          return earliest;
        }
        before.push(previous);
        earliest = previous;
      }
      return this.restartAt(t);
    }
    let latest = last;
    for (let i = 0; i < 2 * MAX_EXTENSION && latest < t; i++) {
      latest = this.next(latest);
      run.push(latest);
    }
    return latest >= t ? latest : this.restartAt(t);
  }

  /** The last tick at or before `t`, or null when the schedule has none. */
  atOrBefore(t: number): number | null {
    const after = this.atOrAfter(t);
    if (after === t) return t;
    const run = this.run;
    const index = run.indexOf(after);
    if (index > 0) return run[index - 1]!;
    return this.previous(after);
  }

  private restartAt(t: number): number {
    this.run = [this.next(t - 1)];
    return this.run[0]!;
  }

  private next(after: number): number {
    this.expression.reset(new Date(after));
    return this.expression.next().getTime();
  }

  private previous(before: number): number | null {
    this.expression.reset(new Date(before));
    try {
      return this.expression.prev().getTime();
    } catch {
      return null;
    }
  }
}

/** Index of the first element ≥ t in an ascending array whose last element is ≥ t. */
function firstAtOrAbove(sorted: readonly number[], t: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < t) low = middle + 1;
    else high = middle;
  }
  return low;
}
