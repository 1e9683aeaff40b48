/** Search on the lineage: a case-insensitive substring of the asset key, as the API's filter does. */
import type { LineageNode } from './lineage-types';

export function normalizeSearch(text: string): string {
  return text.trim().toLowerCase();
}

export function matchesSearch(key: string, normalized: string): boolean {
  return normalized !== '' && key.toLowerCase().includes(normalized);
}

/** The matching assets, best first (the key, then the asset's name, then a prefix of either), at most `limit`. */
export function searchAssets(nodes: readonly LineageNode[], text: string, limit = 50): LineageNode[] {
  const needle = normalizeSearch(text);
  if (!needle) return [];
  const score = (key: string) => {
    const lower = key.toLowerCase();
    const name = lower.slice(lower.lastIndexOf('/') + 1);
    if (lower === needle) return 0;
    if (name === needle) return 1;
    if (name.startsWith(needle) || lower.startsWith(needle)) return 2;
    return 3;
  };
  return nodes
    .filter((node) => matchesSearch(node.key, needle))
    .sort((a, b) => score(a.key) - score(b.key) || a.key.localeCompare(b.key))
    .slice(0, limit);
}
