/**
 * `useQuery`: a GraphQL query as reactive state, for pages and panels.
 *
 * Exports:
 * - `useQuery<T>(query, variables?, options?)` returns `{ data, error, loading, refetch }`:
 *   - `variables` is a getter: the query re-runs whenever what it returns changes (e.g. route
 *     query params); return `null` to skip (e.g. before an id is known);
 *   - `data` keeps the previous result while a new one loads, so tables do not flash empty
 *     between pages; `error` is a GraphQLRequestError (or undefined);
 *   - `options.pollMs` re-runs the query periodically while the component is mounted (polls
 *     are silent: `loading` stays false, a failed poll keeps the last data);
 *   - responses that arrive after a newer request was made are dropped.
 *
 * @example
 * const { data, loading, error, refetch } = useQuery<{ runs: RunConnection }>(RUNS_QUERY, () => ({ first: 20 }));
 */
import { onScopeDispose, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { GraphQLRequestError, request } from './graphql-client';

export interface UseQueryOptions {
  /** Re-run every `pollMs` milliseconds (silently) while in use. */
  pollMs?: number;
}

export interface QueryState<T> {
  data: ShallowRef<T | undefined>;
  error: ShallowRef<GraphQLRequestError | undefined>;
  loading: Ref<boolean>;
  /** Re-runs the query now; `silent` keeps `loading` false (used for polls and live refreshes). */
  refetch: (silent?: boolean) => Promise<void>;
}

type Variables = Record<string, unknown>;

/** Runs `query` now and whenever `variables()` changes; see the file header. */
export function useQuery<T>(
  query: string,
  variables: () => Variables | null | undefined = () => ({}),
  options: UseQueryOptions = {},
): QueryState<T> {
  const data = shallowRef<T | undefined>();
  const error = shallowRef<GraphQLRequestError | undefined>();
  const loading = ref(false);
  let sequence = 0;

  async function run(vars: Variables | null | undefined, silent: boolean): Promise<void> {
    if (vars === null) return;
    const mine = ++sequence;
    if (!silent) loading.value = true;
    try {
      const result = await request<T>(query, vars ?? {});
      if (mine !== sequence) return;
      data.value = result;
      error.value = undefined;
    } catch (cause) {
      if (mine !== sequence) return;
      // A failed background poll should not replace a page that is still useful.
      if (silent && data.value !== undefined) return;
      error.value =
        cause instanceof GraphQLRequestError ? cause : new GraphQLRequestError(String(cause), 'INTERNAL_SERVER_ERROR');
    } finally {
      if (mine === sequence) loading.value = false;
    }
  }

  // Compare by value: a getter returns a fresh object each time even when nothing changed.
  watch(
    () => JSON.stringify(variables() ?? null),
    () => void run(variables(), false),
    { immediate: true },
  );

  if (options.pollMs && options.pollMs > 0) {
    const timer = setInterval(() => {
      if (!loading.value) void run(variables(), true);
    }, options.pollMs);
    onScopeDispose(() => clearInterval(timer));
  }

  return { data, error, loading, refetch: (silent = false) => run(variables(), silent) };
}
