import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SDK_DIR = fileURLToPath(new URL('.', import.meta.url));
// Frames may name the compiled file (dist/src/sdk) or, through source maps, its source
// (src/sdk): both are the SDK, never the user's definition.
const PACKAGE_ROOT = SDK_DIR.replace(/(dist\/)?src\/sdk\/$/, '');
const WEIR_DIRS = [`${PACKAGE_ROOT}src/`, `${PACKAGE_ROOT}dist/`];
// The path must open the location (after `at ` or `(`): unanchored, `node:internal/modules/…`
// matched from its first `/` and showed up as `../../../modules/esm/translators:205`.
const FRAME = /(?:^at |\()((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):(\d+):\d+\)?$/;
// Loaders (tsx) and other packages sit between the user's module and node's internals.
const NOT_USER = /[\\/]node_modules[\\/]/;
// Weir's own unit tests sit next to its sources and define assets as a user would.
const TEST_FILE = /\.test\.[cm]?[jt]s$/;

/**
 * `file:line` of the first stack frame that is user code (not node internals, weir's own
 * files or a loader under node_modules): the user's `asset(...)` call, for projects anywhere.
 * Paths are relative to the working directory so messages stay short.
 */
export function callerLocation(): string {
  const holder: { stack?: string } = {};
  const previousLimit = Error.stackTraceLimit;
  const previousPrepare = Error.prepareStackTrace;
  // Loader and weir frames come first; enough depth to reach the user's module behind them.
  Error.stackTraceLimit = 40;
  // Node's own formatting applies source maps (TS line numbers); a hook installed by a test
  // runner or an APM agent may not, so it is set aside while we look.
  (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
  try {
    Error.captureStackTrace(holder, callerLocation);
    // V8 formats the stack lazily, on first read: read it while the hook is set aside.
    void holder.stack;
  } finally {
    Error.stackTraceLimit = previousLimit;
    Error.prepareStackTrace = previousPrepare;
  }
  for (const line of (holder.stack ?? '').split('\n').slice(1)) {
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    const weirOwn = WEIR_DIRS.some((dir) => file.startsWith(dir)) && !TEST_FILE.test(file);
    if (weirOwn || NOT_USER.test(file)) continue;
    return `${relative(process.cwd(), file) || file}:${match[2]}`;
  }
  return '<unknown file>';
}
