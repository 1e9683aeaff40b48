import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';

const DEBOUNCE_MS = 250;
const IGNORED = /(^|\/)(node_modules|\.weir|dist|\.git)(\/|$)/;

/**
 * Calls `onChange` (debounced) when a file under the project's folder changes, so `weir dev`
 * reloads definitions as they are edited.
 */
export function watchProject(entry: string, onChange: () => void): { close(): void } {
  const folder = dirname(entry);
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(folder, { recursive: true }, (_event, file) => {
    if (file && IGNORED.test(String(file))) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, DEBOUNCE_MS);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
