/**
 * `useLineageData()`: the lineage's data, kept live.
 *
 * - `graph` is loaded once and reloaded only when the definitions hash changes (checked every
 *   30 s, and at once when a status arrives for an asset the graph does not know);
 * - `statuses` holds live statuses from the `assetStatusChanged` subscription, applied over the
 *   graph's; changes are coalesced for a short moment so a burst of events restyles once;
 * - `loading`, `error`, `live` (the subscription works), `reload()`.
 *
 * Everything is a shallow ref: thousands of nodes must not become reactive proxies.
 */
import { onScopeDispose, ref, shallowRef } from 'vue';
import { GraphQLRequestError, request } from '../api/graphql-client';
import { subscribe } from '../api/subscriptions';
import {
  ASSET_STATUS_SUBSCRIPTION,
  LINEAGE_GRAPH_QUERY,
  LINEAGE_HASH_QUERY,
  type AssetStatusChange,
  type LineageGraphResponse,
  type LineageHashResponse,
} from './lineage-queries';
import type { AssetStatus, LineageGraphData } from './lineage-types';
import { normalizeStatus } from './status-style';

const HASH_CHECK_MS = 30_000;
const STATUS_FLUSH_MS = 150;

export function useLineageData() {
  const graph = shallowRef<LineageGraphData>();
  const statuses = shallowRef<ReadonlyMap<string, AssetStatus>>(new Map());
  const loading = ref(false);
  const error = shallowRef<GraphQLRequestError>();
  const live = ref(true);

  let pendingChanges: AssetStatusChange[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  // Status events received while the graph loads may be newer than the graph: keep them.
  let loadStartedAt = 0;
  const receivedAt = new Map<string, number>();

  async function reload(silent = false): Promise<void> {
    if (!silent) loading.value = true;
    const started = Date.now();
    loadStartedAt = started;
    try {
      const data = await request<LineageGraphResponse>(LINEAGE_GRAPH_QUERY);
      if (loadStartedAt !== started) return;
      const { hash, nodes, edges } = data.assetGraph;
      graph.value = { hash, nodes: nodes.map((node) => ({ ...node, status: normalizeStatus(node.status) })), edges };
      const kept = new Map([...statuses.value].filter(([key]) => (receivedAt.get(key) ?? 0) >= started));
      statuses.value = kept;
      error.value = undefined;
    } catch (cause) {
      if (silent && graph.value) return;
      error.value =
        cause instanceof GraphQLRequestError ? cause : new GraphQLRequestError(String(cause), 'INTERNAL_SERVER_ERROR');
    } finally {
      if (loadStartedAt === started) loading.value = false;
    }
  }

  async function checkHash(): Promise<void> {
    if (!graph.value || loading.value) return;
    try {
      const data = await request<LineageHashResponse>(LINEAGE_HASH_QUERY);
      if (graph.value && data.assetGraph.hash !== graph.value.hash) await reload(true);
    } catch {
      // A failed background check changes nothing; the next one may succeed.
    }
  }

  function flush(): void {
    flushTimer = undefined;
    if (pendingChanges.length === 0) return;
    const next = new Map(statuses.value);
    let unknown = false;
    const known = graph.value ? new Set(graph.value.nodes.map((node) => node.key)) : undefined;
    for (const change of pendingChanges) {
      next.set(change.assetKey, normalizeStatus(change.status));
      if (known && !known.has(change.assetKey)) unknown = true;
    }
    pendingChanges = [];
    statuses.value = next;
    if (unknown) void checkHash();
  }

  const stop = subscribe<{ assetStatusChanged: AssetStatusChange }>(
    ASSET_STATUS_SUBSCRIPTION,
    {},
    (data) => {
      live.value = true;
      pendingChanges.push(data.assetStatusChanged);
      receivedAt.set(data.assetStatusChanged.assetKey, Date.now());
      flushTimer ??= setTimeout(flush, STATUS_FLUSH_MS);
    },
    () => (live.value = false),
  );
  const hashTimer = setInterval(() => void checkHash(), HASH_CHECK_MS);

  onScopeDispose(() => {
    stop();
    clearInterval(hashTimer);
    if (flushTimer) clearTimeout(flushTimer);
  });

  void reload();
  return { graph, statuses, loading, error, live, reload };
}
