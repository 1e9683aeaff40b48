/**
 * `debounced(fn, ms)`: collapses bursts of live events (a run with 200 steps emits many) into
 * one refresh. The returned function has `cancel()` for component teardown.
 */
export function debounced(fn: () => void, ms: number): (() => void) & { cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
  call.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  return call;
}
