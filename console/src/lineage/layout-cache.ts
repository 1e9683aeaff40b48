/**
 * Recent layouts by graph hash and collapsed groups, so expanding a group back, or returning to
 * the lineage page, shows the graph at once instead of laying it out again.
 */
import type { LayoutResult } from './layout-types';

const MAX_ENTRIES = 8;
const entries = new Map<string, LayoutResult>();

export function layoutCacheKey(hash: string, collapsedGroups: Iterable<string>): string {
  return `${hash}\n${[...collapsedGroups].sort().join('\n')}`;
}

export function cachedLayout(key: string): LayoutResult | undefined {
  const hit = entries.get(key);
  if (hit) {
    // Refresh its place: the map's order is the eviction order.
    entries.delete(key);
    entries.set(key, hit);
  }
  return hit;
}

export function rememberLayout(key: string, result: LayoutResult): void {
  entries.delete(key);
  entries.set(key, result);
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}

/** Tests start from an empty cache. */
export function clearLayoutCache(): void {
  entries.clear();
}
