import { describe, expect, it } from 'vitest';
import { InProcessExecutor } from './in-process-executor.js';

describe('InProcessExecutor', () => {
  it('runs at most `concurrency` jobs at once, in dispatch order, and drains on stop', async () => {
    const executor = new InProcessExecutor(3);
    let running = 0;
    let maxRunning = 0;
    const started: string[] = [];
    const releases: Array<() => void> = [];
    await executor.start(async (job) => {
      started.push(job.stepId);
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running--;
    });
    for (let i = 0; i < 10; i++) await executor.dispatch({ runId: 'r', stepId: `s${i}`, attempt: 1 });
    // Steps start in the event loop's next check phase, after pending I/O.
    expect(started).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['s0', 's1', 's2']);
    expect(executor.inFlight()).toBe(10);
    while (started.length < 10 || releases.length > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(maxRunning).toBe(3);
    expect(started).toEqual(Array.from({ length: 10 }, (_, i) => `s${i}`));
    await executor.stop();
    expect(executor.inFlight()).toBe(0);
  });

  it('rejects a concurrency below one', () => {
    expect(() => new InProcessExecutor(0)).toThrow(/concurrency must be an integer ≥ 1/);
  });
});
