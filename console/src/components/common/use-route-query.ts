/**
 * Page state kept in the URL query, so every filtered or paginated view is a shareable link.
 *
 * `useRouteQuery()` returns `{ get, getAll, update }`: `get('asset')` reads one string,
 * `getAll('status')` a list (repeated params `?status=A&status=B`), and `update({ asset: 'x',
 * cursor: null })` merges into the current query (null/''/[] removes a key) with
 * `router.replace` by default, so typing in a filter does not flood the history.
 */
import { useRoute, useRouter, type LocationQuery, type LocationQueryRaw } from 'vue-router';

export type QueryPatch = Record<string, string | string[] | null | undefined>;

function first(value: LocationQuery[string] | undefined): string {
  if (Array.isArray(value)) return value[0] ?? '';
  return value ?? '';
}

function all(value: LocationQuery[string] | undefined): string[] {
  if (value == null) return [];
  return (Array.isArray(value) ? value : [value]).filter(
    (item): item is string => typeof item === 'string' && item !== '',
  );
}

export function useRouteQuery() {
  const route = useRoute();
  const router = useRouter();

  function update(patch: QueryPatch, options: { push?: boolean } = {}): Promise<unknown> {
    const query: LocationQueryRaw = { ...route.query };
    for (const [key, value] of Object.entries(patch)) {
      const empty = value == null || value === '' || (Array.isArray(value) && value.length === 0);
      if (empty) delete query[key];
      else query[key] = value;
    }
    const location = { path: route.path, query, hash: route.hash };
    return options.push ? router.push(location) : router.replace(location);
  }

  return {
    get: (key: string) => first(route.query[key]),
    getAll: (key: string) => all(route.query[key]),
    update,
  };
}
