import { describe, expect, it } from 'vitest';
import { PeriodicTask } from './periodic-task.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PeriodicTask', () => {
  it('runs passes one at a time, goes on after a failed one, and stop() waits for the pass in progress', async () => {
    let active = 0;
    let overlapped = false;
    let passes = 0;
    const errors: string[] = [];
    const task = new PeriodicTask(
      async () => {
        passes++;
        active++;
        overlapped ||= active > 1;
        await sleep(15);
        active--;
        if (passes === 2) throw new Error('second pass broke');
      },
      { intervalMs: 1, onError: (error) => errors.push(error.message) },
    );
    task.start({ immediate: true });
    while (passes < 4) await sleep(5);
    await task.stop();
    expect(active).toBe(0);
    expect(overlapped).toBe(false);
    expect(errors).toEqual(['second pass broke']);
    const after = passes;
    await sleep(30);
    expect(passes).toBe(after);
  });
});
