/** The board's filters (owner, group, status) applied in the browser, so the choices stay complete. */
import type { FreshnessEntry, FreshnessStatus } from './freshness-types';

export interface FreshnessFilterState {
  owner: string;
  group: string;
  status: FreshnessStatus | '';
}

export function filterEntries(entries: FreshnessEntry[], filter: FreshnessFilterState): FreshnessEntry[] {
  return entries.filter(
    (entry) =>
      (!filter.owner || entry.owners.includes(filter.owner)) &&
      (!filter.group || entry.group === filter.group) &&
      (!filter.status || entry.status === filter.status),
  );
}

/** Every owner and every group present, sorted, for the filter menus. */
export function filterChoices(entries: FreshnessEntry[]): { owners: string[]; groups: string[] } {
  const owners = new Set<string>();
  const groups = new Set<string>();
  for (const entry of entries) {
    entry.owners.forEach((owner) => owners.add(owner));
    groups.add(entry.group);
  }
  const sorted = (values: Set<string>) => [...values].sort((a, b) => a.localeCompare(b));
  return { owners: sorted(owners), groups: sorted(groups) };
}
