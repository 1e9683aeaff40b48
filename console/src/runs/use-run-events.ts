/**
 * `useRunEvents(runId, follow)`: a run's events (step changes, attempts, log lines) in order:
 * the history is read with `Run.events` page by page, then, while the run may still change, new
 * events arrive through the `runEvents` subscription starting after the last one read, so
 * nothing is missed or shown twice. `onEvent` is called for each live event (the run page uses
 * it to refresh the timeline when a step changes).
 */
import { onScopeDispose, ref, shallowRef } from 'vue';
import { GraphQLRequestError, request } from '../api/graphql-client';
import { subscribe } from '../api/subscriptions';
import { RUN_EVENTS_QUERY, RUN_EVENTS_SUBSCRIPTION } from './run-queries';
import type { RunEvent } from './run-types';

const PAGE = 500;
/** Keep the browser responsive on runs that log a lot: older lines are dropped past this. */
export const MAX_EVENTS = 5_000;

export function useRunEvents(runId: string, follow: boolean, onEvent?: (event: RunEvent) => void) {
  const events = shallowRef<RunEvent[]>([]);
  const loading = ref(true);
  const error = shallowRef<GraphQLRequestError | undefined>();
  const live = ref(false);
  const truncated = ref(false);
  const seen = new Set<string>();
  let stop: (() => void) | undefined;
  let disposed = false;

  function append(batch: RunEvent[]): void {
    const fresh = batch.filter((event) => !seen.has(event.id));
    if (fresh.length === 0) return;
    for (const event of fresh) seen.add(event.id);
    let next = [...events.value, ...fresh];
    if (next.length > MAX_EVENTS) {
      next = next.slice(next.length - MAX_EVENTS);
      truncated.value = true;
    }
    events.value = next;
  }

  async function loadHistory(): Promise<void> {
    let after: string | null = null;
    for (;;) {
      const data: { run: { events: RunEvent[] } } = await request(RUN_EVENTS_QUERY, { id: runId, after, first: PAGE });
      if (disposed) return;
      append(data.run.events);
      const last = data.run.events.at(-1);
      if (data.run.events.length < PAGE || !last) return;
      after = last.id;
    }
  }

  function startLive(): void {
    if (disposed || stop) return;
    live.value = true;
    stop = subscribe<{ runEvents: RunEvent }>(
      RUN_EVENTS_SUBSCRIPTION,
      { runId, afterId: events.value.at(-1)?.id ?? null },
      (data) => {
        append([data.runEvents]);
        onEvent?.(data.runEvents);
      },
      () => (live.value = false),
    );
  }

  void (async () => {
    try {
      await loadHistory();
      if (follow) startLive();
    } catch (cause) {
      error.value =
        cause instanceof GraphQLRequestError ? cause : new GraphQLRequestError(String(cause), 'INTERNAL_SERVER_ERROR');
    } finally {
      loading.value = false;
    }
  })();

  function stopLive(): void {
    stop?.();
    stop = undefined;
    live.value = false;
  }

  onScopeDispose(() => {
    disposed = true;
    stopLive();
  });

  return { events, loading, error, live, truncated, stopLive };
}
