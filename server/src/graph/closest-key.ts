/**
 * Finds the candidate closest to `target` by edit distance (Levenshtein), for "did you mean"
 * hints. Returns `undefined` when nothing is close enough to be a plausible typo.
 *
 * Only called on error paths, but still bounded: candidates whose length alone rules them
 * out are skipped, and each comparison stops as soon as it cannot beat the best so far, so a
 * lookup among 100k keys stays in the low milliseconds.
 *
 * @param maxDistance - largest distance still worth suggesting; defaults to a third of the
 *   target's length (at least 2), so short keys only get suggestions for small typos.
 */
export function closestKey(
  target: string,
  candidates: Iterable<string>,
  maxDistance: number = Math.max(2, Math.floor(target.length / 3)),
): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance;
  const rows = new DistanceRows(target.length);
  for (const candidate of candidates) {
    if (candidate === target) continue;
    if (Math.abs(candidate.length - target.length) > bestDistance) continue;
    const distance = rows.boundedDistance(target, candidate, bestDistance);
    if (distance > bestDistance) continue;
    // Ties go to the smaller key so the hint does not depend on iteration order.
    if (best === undefined || distance < bestDistance || candidate < best) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Formats the hint appended to "unknown key" messages, or `''` when there is none. */
export function didYouMean(target: string, candidates: Iterable<string>): string {
  const suggestion = closestKey(target, candidates);
  return suggestion === undefined ? '' : `: did you mean '${suggestion}'?`;
}

/** Two reusable DP rows, so comparing against many candidates allocates nothing. */
class DistanceRows {
  private previous: Uint32Array;
  private current: Uint32Array;

  constructor(length: number) {
    this.previous = new Uint32Array(length + 1);
    this.current = new Uint32Array(length + 1);
  }

  /** Edit distance between `a` and `b`, or `limit + 1` as soon as it must exceed `limit`. */
  boundedDistance(a: string, b: string, limit: number): number {
    let previous = this.previous;
    let current = this.current;
    for (let i = 0; i <= a.length; i++) previous[i] = i;
    for (let j = 1; j <= b.length; j++) {
      current[0] = j;
      let rowMin = j;
      const bj = b.charCodeAt(j - 1);
      for (let i = 1; i <= a.length; i++) {
        const substitution = previous[i - 1]! + (a.charCodeAt(i - 1) === bj ? 0 : 1);
        const value = Math.min(substitution, previous[i]! + 1, current[i - 1]! + 1);
        current[i] = value;
        if (value < rowMin) rowMin = value;
      }
      // Every later row is at least this row's minimum: no need to finish.
      if (rowMin > limit) return limit + 1;
      [previous, current] = [current, previous];
    }
    return previous[a.length]!;
  }
}
