import { describe, expect, it, vi } from 'vitest';
import { createLayoutRunner, LayoutSupersededError } from '../../src/lineage/layout-runner';
import type { LayoutInput } from '../../src/lineage/layout-types';

const input = (ids: string[]): LayoutInput => ({
  nodes: ids.map((id) => ({ id, width: 100, height: 30 })),
  edges: ids.slice(1).map((id, i) => ({ source: ids[i]!, target: id })),
});

describe('layout runner', () => {
  it('computes synchronously when there is no Worker', async () => {
    vi.stubGlobal('Worker', undefined);
    const runner = createLayoutRunner();
    expect(runner.mode).toBe('sync');
    const result = await runner.run(input(['a', 'b']));
    expect(result.positions.b!.x).toBeGreaterThan(result.positions.a!.x);
  });

  it('rejects a request superseded by a newer one, and answers the newer', async () => {
    const runner = createLayoutRunner({ useWorker: false });
    const first = runner.run(input(['a']));
    const second = runner.run(input(['x', 'y']));
    await expect(first).rejects.toBeInstanceOf(LayoutSupersededError);
    expect(Object.keys((await second).positions)).toEqual(['x', 'y']);
  });

  it('posts to the worker and falls back to computing itself when the worker fails to load', async () => {
    const posted: unknown[] = [];
    class BrokenWorker {
      onmessage: ((event: MessageEvent) => void) | null = null;
      onerror: ((event: Event) => void) | null = null;
      terminated = false;
      postMessage(message: unknown) {
        posted.push(message);
        setTimeout(() => this.onerror?.(new Event('error')), 0);
      }
      terminate() {
        this.terminated = true;
      }
    }
    vi.stubGlobal('Worker', BrokenWorker);
    const runner = createLayoutRunner();
    expect(runner.mode).toBe('worker');
    const result = await runner.run(input(['a', 'b', 'c']));
    expect(posted).toHaveLength(1);
    expect(runner.mode).toBe('sync');
    expect(Object.keys(result.positions)).toHaveLength(3);
  });

  it('resolves with what the worker answers for the current request only', async () => {
    let worker: { onmessage: ((event: MessageEvent) => void) | null } | undefined;
    vi.stubGlobal(
      'Worker',
      class {
        onmessage: ((event: MessageEvent) => void) | null = null;
        onerror = null;
        constructor() {
          // eslint-disable-next-line @typescript-eslint/no-this-alias
          worker = this;
        }
        postMessage() {}
        terminate() {}
      },
    );
    const runner = createLayoutRunner();
    const pending = runner.run(input(['a']));
    const answer = { positions: { a: { x: 1, y: 2 } }, boxes: {}, bounds: null, engine: 'layered', durationMs: 1 };
    worker!.onmessage!(new MessageEvent('message', { data: { id: 999, result: answer } }));
    worker!.onmessage!(new MessageEvent('message', { data: { id: 1, result: answer } }));
    await expect(pending).resolves.toEqual(answer);
  });
});
