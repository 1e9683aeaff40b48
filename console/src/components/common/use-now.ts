/**
 * `useNow(intervalMs)`: the current time as a ref that ticks, so relative times ("5 min ago")
 * and running durations stay true without reloading. The timer stops with the component.
 */
import { onScopeDispose, ref, type Ref } from 'vue';

export function useNow(intervalMs = 1_000): Ref<number> {
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), intervalMs);
  onScopeDispose(() => clearInterval(timer));
  return now;
}
