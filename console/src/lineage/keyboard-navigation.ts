/**
 * Moving through the lineage with the keyboard, by where nodes are drawn: an arrow key goes to
 * the nearest node in that direction (the graph flows left to right, so → leads downstream and
 * ← upstream), Home to the first node. Pure: positions in, node id out.
 */

export type ArrowKey = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

export interface Point {
  readonly x: number;
  readonly y: number;
}

const DIRECTIONS: Record<ArrowKey, Point> = {
  ArrowRight: { x: 1, y: 0 },
  ArrowLeft: { x: -1, y: 0 },
  ArrowDown: { x: 0, y: 1 },
  ArrowUp: { x: 0, y: -1 },
};

export function isArrowKey(key: string): key is ArrowKey {
  return key in DIRECTIONS;
}

/**
 * The node to move to from `current` with `key`, or `current` when nothing lies that way.
 * Candidates must be ahead in the direction; among them the closest wins, with sideways
 * distance counting double so that → prefers the node on the same row.
 */
export function nextNode(current: string, key: ArrowKey, positions: ReadonlyMap<string, Point>): string {
  const from = positions.get(current);
  if (!from) return current;
  const direction = DIRECTIONS[key];
  let best = current;
  let bestScore = Infinity;
  for (const [id, point] of positions) {
    if (id === current) continue;
    const dx = point.x - from.x;
    const dy = point.y - from.y;
    const ahead = dx * direction.x + dy * direction.y;
    if (ahead <= 0) continue;
    const sideways = Math.abs(dx * direction.y - dy * direction.x);
    const score = ahead + 2 * sideways;
    if (score < bestScore || (score === bestScore && id < best)) {
      best = id;
      bestScore = score;
    }
  }
  return best;
}

/** Where keyboard navigation starts: the top-left-most node (the first upstream one). */
export function firstNode(positions: ReadonlyMap<string, Point>): string | null {
  let first: string | null = null;
  let firstPoint: Point | null = null;
  for (const [id, point] of positions) {
    if (!firstPoint || point.x < firstPoint.x || (point.x === firstPoint.x && point.y < firstPoint.y)) {
      first = id;
      firstPoint = point;
    }
  }
  return first;
}
