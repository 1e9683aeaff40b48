/**
 * The lineage's layout worker: computes positions off the main thread so the page stays
 * responsive while thousands of assets are laid out. One request in, one response out.
 */
import { computeLayout } from './graph-layout';
import type { LayoutRequestMessage, LayoutResponseMessage } from './layout-types';

// The console's tsconfig has the DOM lib, not WebWorker: describe the little of the scope we use.
interface WorkerScope {
  onmessage: ((event: MessageEvent<LayoutRequestMessage>) => void) | null;
  postMessage(message: LayoutResponseMessage): void;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  const { id, input } = event.data;
  try {
    scope.postMessage({ id, result: computeLayout(input) });
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
