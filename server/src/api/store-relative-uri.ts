import type { ObjectStore } from '../io/object-store.port.js';
import type { RunView } from '../runs/run-queries.js';
import type { EventView } from '../storage/event-log.js';

/** How the API shows where a payload is: its key inside the object store, not the store's location. */
export const STORE_URI_PREFIX = 'weir-store://';

// Any valid key works: the root is what precedes it in the store's URI.
const PROBE_KEY = 'x';

function storeRoot(store: ObjectStore): string {
  return store.uriFor(PROBE_KEY).slice(0, -PROBE_KEY.length);
}

/**
 * `weir-store://<key>` for a payload URI: a filesystem store's URI is an absolute server path
 * (`file:///var/lib/weir/objects/runs/…`), which callers have no business seeing. URIs from
 * another store location keep their `runs/…` key, or only their last part.
 */
export function storeRelativeUri(uri: string | null | undefined, store: ObjectStore): string | null {
  if (uri === null || uri === undefined) return null;
  if (uri.startsWith(STORE_URI_PREFIX)) return uri;
  const root = storeRoot(store);
  const key = uri.startsWith(root)
    ? uri.slice(root.length)
    : (/\/(runs\/.+)$/.exec(uri)?.[1] ?? `…/${uri.split('/').at(-1)}`);
  return `${STORE_URI_PREFIX}${safeDecode(key)}`;
}

/** `text` with every payload URI in it made store-relative (event messages say where outputs went). */
export function withStoreRelativeUris(text: string, store: ObjectStore): string {
  const root = storeRoot(store);
  const scheme = root.slice(0, root.indexOf(':') + 1);
  if (!scheme) return text;
  return text.replace(new RegExp(`${escapeRegExp(scheme)}//\\S+`, 'g'), (uri) => storeRelativeUri(uri, store)!);
}

/** A run as the API shows it: step outputs by store-relative URI. */
export function publicRunView(view: RunView, store: ObjectStore): RunView {
  return {
    ...view,
    steps: view.steps.map((step) =>
      step.output ? { ...step, output: { ...step.output, uri: storeRelativeUri(step.output.uri, store) } } : step,
    ),
  };
}

/** An event as the API shows it: URIs in its message and data store-relative. */
export function publicEvent(event: EventView, store: ObjectStore): EventView {
  const uri = event.data?.uri;
  return {
    ...event,
    message: withStoreRelativeUris(event.message, store),
    data: typeof uri === 'string' ? { ...event.data, uri: storeRelativeUri(uri, store) } : event.data,
  };
}

function safeDecode(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
