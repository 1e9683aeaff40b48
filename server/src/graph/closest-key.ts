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

/**
 * Edit distance between `a` and `b` when it is at most `limit`, otherwise `limit + 1`.
 * Only the diagonal band of width `2 * limit + 1` is computed, and the computation stops as
 * soon as a row exceeds the limit: O(limit × length) instead of O(length²).
 */
export function boundedEditDistance(a: string, b: string, limit: number): number {
  return new DistanceRows(a.length).boundedDistance(a, b, limit);
}

/** Two reusable DP rows, so comparing against many candidates allocates nothing. */
class DistanceRows {
  private previous: Uint32Array;
  private current: Uint32Array;

  constructor(length: number) {
    this.previous = new Uint32Array(length + 2);
    this.current = new Uint32Array(length + 2);
  }

  boundedDistance(a: string, b: string, limit: number): number {
    const n = a.length;
    const m = b.length;
    const over = limit + 1;
    if (Math.abs(n - m) > limit) return over;
    let previous = this.previous;
    let current = this.current;
    // Cells outside the band hold `over`: any path through them exceeds the limit anyway.
    for (let i = 0; i <= n + 1; i++) previous[i] = i <= limit ? i : over;
    for (let j = 1; j <= m; j++) {
      const from = Math.max(1, j - limit);
      const to = Math.min(n, j + limit);
      current[from - 1] = from === 1 && j <= limit ? j : over;
      current[to + 1] = over;
      let rowMin = current[from - 1]!;
      const bj = b.charCodeAt(j - 1);
      for (let i = from; i <= to; i++) {
        const substitution = previous[i - 1]! + (a.charCodeAt(i - 1) === bj ? 0 : 1);
        let value = previous[i]! + 1;
        if (substitution < value) value = substitution;
        if (current[i - 1]! + 1 < value) value = current[i - 1]! + 1;
        if (value > over) value = over;
        current[i] = value;
        if (value < rowMin) rowMin = value;
      }
      // Every later row is at least this row's minimum: no need to finish.
      if (rowMin > limit) return over;
      const swap = previous;
      previous = current;
      current = swap;
    }
    return previous[n]! > limit ? over : previous[n]!;
  }
}
