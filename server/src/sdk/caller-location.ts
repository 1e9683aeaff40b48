import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SDK_DIR = fileURLToPath(new URL('.', import.meta.url));
// Frames may name the compiled file (dist/src/sdk) or, through source maps, its source
// (src/sdk): both are the SDK, never the user's definition.
const PACKAGE_ROOT = SDK_DIR.replace(/(dist\/)?src\/sdk\/$/, '');
const SDK_DIRS = [`${PACKAGE_ROOT}src/sdk/`, `${PACKAGE_ROOT}dist/src/sdk/`];
const FRAME = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):(\d+):\d+\)?$/;

/**
 * `file:line` of the first stack frame outside the SDK: the user's `asset(...)` call.
 * Paths are relative to the working directory so messages stay short.
 */
export function callerLocation(): string {
  const holder: { stack?: string } = {};
  const previousLimit = Error.stackTraceLimit;
  const previousPrepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 8;
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
    if (SDK_DIRS.some((dir) => file.startsWith(dir))) continue;
    return `${relative(process.cwd(), file) || file}:${match[2]}`;
  }
  return '<unknown file>';
}
