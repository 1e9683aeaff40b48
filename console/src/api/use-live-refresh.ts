/**
 * `useLiveRefresh(query, variables, refresh)`: keeps a view current by re-running `refresh`
 * (debounced) whenever a subscription delivers something. Reports whether the live connection
 * works, so the page can say "Live" or "Updates paused". Stops with the component.
 */
import { onScopeDispose, ref } from 'vue';
import { subscribe } from '../api/subscriptions';
import { debounced } from './debounce';

export function useLiveRefresh(query: string, variables: Record<string, unknown>, refresh: () => void, waitMs = 750) {
  const live = ref(true);
  const later = debounced(refresh, waitMs);
  const stop = subscribe(
    query,
    variables,
    () => {
      live.value = true;
      later();
    },
    () => (live.value = false),
  );
  onScopeDispose(() => {
    stop();
    later.cancel();
  });
  return { live };
}
