import { formatByteSize } from '../../sdk/byte-size.js';

/** How an isolate's task ended without an outcome of its own. */
export type IsolateFailureKind = 'timeout' | 'out_of_memory' | 'crashed' | 'canceled';

/**
 * A task whose isolate was stopped or died: over its time limit, out of memory, crashed
 * (`process.exit()`, an uncaught exception or rejection), or terminated after a cancel or
 * shutdown it ignored. The attempt fails with this kind; the retry policy decides the rest.
 */
export class IsolateFailure extends Error {
  constructor(
    readonly kind: IsolateFailureKind,
    message: string,
    readonly isolateStack: string | null = null,
  ) {
    super(message);
    this.name = 'IsolateFailure';
  }
}

/** Names what a rejected isolate task died of, in words an asset author can act on. */
export function crashFailure(error: unknown, what: string, memoryLimitBytes: number | undefined): IsolateFailure {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? (error.stack ?? null) : null;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    const limit =
      memoryLimitBytes === undefined
        ? "Node's default heap limit"
        : `its heap limit of ${formatByteSize(memoryLimitBytes)} (memory option or WEIR_STEP_MEMORY)`;
    return new IsolateFailure(
      'out_of_memory',
      `${what} ran out of memory: it went over ${limit}; raise the limit, or stream the data instead of holding it`,
      stack,
    );
  }
  const exited = /exited with code:? (-?\d+)/.exec(message);
  if (exited) {
    return new IsolateFailure(
      'crashed',
      `${what} crashed: its isolate exited with code ${exited[1]} (process.exit() was called)`,
      stack,
    );
  }
  return new IsolateFailure(
    'crashed',
    `${what} crashed: uncaught error in its isolate (from a timer or an unawaited promise?): ${message}`,
    stack,
  );
}
