import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Who holds a data directory: which process, doing what, and where its API listens. */
export interface LockHolder {
  readonly pid: number;
  readonly command: string;
  readonly port: number | null;
  readonly startedAt: string;
}

/** A held lock on a data directory. */
export interface DataDirLock {
  /** Records the port the holder's API listens on, so other commands can talk to it. */
  setPort(port: number): void;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads the current holder, or null when the lock is free (or left by a dead process). */
export function readLockHolder(dataDir: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(join(dataDir, 'weir.lock'), 'utf8')) as LockHolder;
    return isAlive(holder.pid) ? holder : null;
  } catch {
    return null;
  }
}

/**
 * Takes the data directory for this process. PGlite is a single-process database: two
 * processes opening the same directory would corrupt it, so only the lock holder opens it and
 * other `weir` commands talk to the holder's API instead. A lock left by a dead process is
 * taken over. Returns the live holder when the directory is busy.
 */
export function acquireDataDirLock(dataDir: string, command: string): DataDirLock | { heldBy: LockHolder } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'weir.lock');
  for (let tries = 0; tries < 5; tries++) {
    let holder: LockHolder = { pid: process.pid, command, port: null, startedAt: new Date().toISOString() };
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(holder));
      closeSync(fd);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const current = readLockHolder(dataDir);
      if (current) return { heldBy: current };
      // Stale: its process is gone. Remove it and race for it again (wx makes one winner).
      try {
        unlinkSync(path);
      } catch {
        // another process removed it first
      }
      continue;
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      try {
        if ((JSON.parse(readFileSync(path, 'utf8')) as LockHolder).pid === process.pid) unlinkSync(path);
      } catch {
        // already gone
      }
    };
    process.once('exit', release);
    return {
      setPort(port: number) {
        holder = { ...holder, port };
        writeFileSync(path, JSON.stringify(holder));
      },
      release,
    };
  }
  throw new Error(`could not lock data directory ${dataDir}: ${path} keeps changing hands`);
}
