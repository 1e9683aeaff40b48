import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether a process exists: signal 0 checks without sending anything. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits for a script to write `"<pid> <pid> …"` to `file` (written atomically, by a rename) and
 * returns the pids, so a test can check later that a stop killed every one of them.
 */
export async function readPidFile(file: string, timeoutMs = 30_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
    } catch {
      if (Date.now() > deadline) throw new Error(`${file} was not written within ${timeoutMs} ms`);
      await sleep(20);
    }
  }
}

/**
 * Waits until none of `pids` runs. A killed grandchild is reaped by init, not by its killer, so
 * it may linger a moment as a zombie; a process still there after `timeoutMs` is a failure.
 */
export async function waitUntilGone(pids: readonly number[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isRunning)) {
    if (Date.now() > deadline) {
      throw new Error(`still running after ${timeoutMs} ms: ${pids.filter(isRunning).join(', ')}`);
    }
    await sleep(20);
  }
}
