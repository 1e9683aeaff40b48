/**
 * Runs lineage layouts in the layout worker, or synchronously where workers do not exist (unit
 * tests, very old browsers) or the worker failed to start. A new request supersedes the previous
 * one: the caller only ever wants the layout of what is on screen now.
 */
import type { LayoutInput, LayoutRequestMessage, LayoutResponseMessage, LayoutResult } from './layout-types';

export interface LayoutRunner {
  /** Resolves with the layout, or rejects with {@link LayoutSupersededError} when a newer request came in. */
  run(input: LayoutInput): Promise<LayoutResult>;
  /** Which path is used; 'sync' also after a worker failure. */
  readonly mode: 'worker' | 'sync';
  dispose(): void;
}

export class LayoutSupersededError extends Error {
  override name = 'LayoutSupersededError';
  constructor() {
    super('A newer layout was requested');
  }
}

interface Pending {
  id: number;
  input: LayoutInput;
  resolve: (result: LayoutResult) => void;
  reject: (error: Error) => void;
}

export function createLayoutRunner(options: { useWorker?: boolean } = {}): LayoutRunner {
  let worker = options.useWorker !== false ? startWorker() : undefined;
  let pending: Pending | undefined;
  let nextId = 1;

  const runSync = (request: Pending) => {
    // Loaded on demand: with a worker, dagre never needs to be in the page's own bundle.
    void import('./graph-layout').then(
      ({ computeLayout }) => {
        if (pending !== request) return;
        pending = undefined;
        try {
          request.resolve(computeLayout(request.input));
        } catch (error) {
          request.reject(error instanceof Error ? error : new Error(String(error)));
        }
      },
      (error: unknown) => request.reject(error instanceof Error ? error : new Error(String(error))),
    );
  };

  if (worker) {
    worker.onmessage = (event: MessageEvent<LayoutResponseMessage>) => {
      const message = event.data;
      if (!pending || message.id !== pending.id) return;
      const request = pending;
      pending = undefined;
      if ('error' in message) request.reject(new Error(`Layout failed: ${message.error}`));
      else request.resolve(message.result);
    };
    // A worker that cannot load (blocked script, CSP) must not leave the graph blank.
    worker.onerror = (event) => {
      event.preventDefault();
      worker?.terminate();
      worker = undefined;
      if (pending) runSync(pending);
    };
  }

  return {
    get mode() {
      return worker ? 'worker' : 'sync';
    },
    run(input) {
      pending?.reject(new LayoutSupersededError());
      return new Promise<LayoutResult>((resolve, reject) => {
        const request: Pending = { id: nextId++, input, resolve, reject };
        pending = request;
        if (worker) worker.postMessage({ id: request.id, input } satisfies LayoutRequestMessage);
        else runSync(request);
      });
    },
    dispose() {
      pending?.reject(new LayoutSupersededError());
      pending = undefined;
      worker?.terminate();
      worker = undefined;
    },
  };
}

function startWorker(): Worker | undefined {
  if (typeof Worker === 'undefined') return undefined;
  try {
    return new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'lineage-layout' });
  } catch {
    return undefined;
  }
}
