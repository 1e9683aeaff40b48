/**
 * The runs list's filters and page, read from and written to the URL query, so a filtered
 * page is a link someone else can open:
 * `/runs?status=FAILED&status=RUNNING&asset=orders&trigger=SCHEDULE&from=<iso>&to=<iso>&cursor=<c>&trail=<c1>&trail=<c2>`.
 *
 * Cursors only go forwards (`after`), so the cursors of the pages before the current one are kept
 * in `trail` ('' stands for the first page) to make "Newer" work on a shared link too.
 */
import { computed } from 'vue';
import { useRouteQuery } from '../components/common/use-route-query';
import { RUN_STATUSES, RUN_TRIGGERS, type RunStatus, type RunTrigger } from './run-types';

export interface RunsFilterState {
  statuses: RunStatus[];
  asset: string;
  trigger: RunTrigger | '';
  /** ISO timestamps. */
  from: string;
  to: string;
}

export const PAGE_SIZE = 25;
const FIRST_PAGE = '-';

/** The `filter` argument of `Query.runs` for these filters (empty fields left out). */
export function toRunFilter(state: RunsFilterState): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (state.statuses.length) filter.status = state.statuses;
  if (state.asset.trim()) filter.asset = state.asset.trim();
  if (state.trigger) filter.trigger = [state.trigger];
  if (state.from) filter.createdAfter = state.from;
  if (state.to) filter.createdBefore = state.to;
  return filter;
}

export function useRunsUrlState() {
  const query = useRouteQuery();

  const filters = computed<RunsFilterState>(() => {
    const trigger = query.get('trigger');
    return {
      statuses: query.getAll('status').filter((s): s is RunStatus => (RUN_STATUSES as string[]).includes(s)),
      asset: query.get('asset'),
      trigger: (RUN_TRIGGERS as string[]).includes(trigger) ? (trigger as RunTrigger) : '',
      from: validIso(query.get('from')),
      to: validIso(query.get('to')),
    };
  });
  const cursor = computed(() => query.get('cursor'));
  const trail = computed(() => query.getAll('trail'));

  /** New filters start again from the first page. */
  function setFilters(next: RunsFilterState): void {
    void query.update({
      status: next.statuses,
      asset: next.asset.trim(),
      trigger: next.trigger,
      from: next.from,
      to: next.to,
      cursor: null,
      trail: null,
    });
  }

  // Page moves are pushed to the history so the browser's Back button goes to the previous page.
  function nextPage(endCursor: string): void {
    void query.update({ cursor: endCursor, trail: [...trail.value, cursor.value || FIRST_PAGE] }, { push: true });
  }

  function previousPage(): void {
    const before = [...trail.value];
    const target = before.pop();
    void query.update({ cursor: target && target !== FIRST_PAGE ? target : null, trail: before }, { push: true });
  }

  const variables = computed(() => ({
    filter: toRunFilter(filters.value),
    first: PAGE_SIZE,
    after: cursor.value || null,
  }));

  return {
    filters,
    cursor,
    hasPrevious: computed(() => cursor.value !== ''),
    variables,
    setFilters,
    nextPage,
    previousPage,
  };
}

function validIso(value: string): string {
  return value && !Number.isNaN(Date.parse(value)) ? value : '';
}
