/**
 * The lineage page's state in the URL, so a focused or filtered view is a shareable link:
 * `?focus=<asset key>&search=<text>&collapsed=<group>,<group>&view=list`.
 * `collapsed` is written as repeated parameters (group names may contain commas) and read in
 * either form.
 */
import { computed } from 'vue';
import { useRouteQuery } from '../components/common/use-route-query';

export type LineageView = 'graph' | 'list';

/** A group as the toolbar's collapse controls show it. */
export interface GroupControl {
  name: string;
  size: number;
  collapsed: boolean;
}

/** Group names from `collapsed` values; a value that is not a known group is split on commas. */
export function parseCollapsed(values: readonly string[], knownGroups?: ReadonlySet<string>): string[] {
  const groups = new Set<string>();
  for (const value of values) {
    if (knownGroups?.has(value)) groups.add(value);
    else for (const part of value.split(',')) if (part.trim()) groups.add(part.trim());
  }
  return [...groups].sort();
}

export function useLineageUrlState(knownGroups: () => ReadonlySet<string> | undefined) {
  const query = useRouteQuery();
  const focus = computed(() => query.get('focus') || null);
  const search = computed(() => query.get('search'));
  const collapsed = computed(() => parseCollapsed(query.getAll('collapsed'), knownGroups()));
  const view = computed<LineageView>(() => (query.get('view') === 'list' ? 'list' : 'graph'));

  return {
    focus,
    search,
    collapsed,
    view,
    setFocus: (key: string | null) => query.update({ focus: key }),
    setSearch: (text: string) => query.update({ search: text }),
    setView: (next: LineageView) => query.update({ view: next === 'list' ? 'list' : null }),
    setCollapsed: (groups: readonly string[]) => query.update({ collapsed: [...groups].sort() }),
    toggleGroup: (group: string) => {
      const current = new Set(collapsed.value);
      if (current.has(group)) current.delete(group);
      else current.add(group);
      return query.update({ collapsed: [...current].sort() });
    },
  };
}
