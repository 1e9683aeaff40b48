import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

/** The compiled `weir` command (the test command builds it before tests run). */
export const WEIR_BIN = fileURLToPath(new URL('../../bin/weir.js', import.meta.url));

export interface WeirProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal name). */
  readonly exited: Promise<number | string>;
}

/** Starts `weir <args>` as a real process. */
export function spawnWeir(args: readonly string[], env: Record<string, string>, cwd?: string): WeirProcess {
  const child = spawn(process.execPath, [WEIR_BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, output: () => output, exited };
}

/**
 * Runs `weir <args>` to completion. A command still running after `timeoutMs` is killed and
 * reported as code `'timeout'` with what it printed, so a hang fails with evidence rather than
 * as the test's own timeout.
 */
export async function runWeir(
  args: readonly string[],
  env: Record<string, string>,
  cwd?: string,
  timeoutMs = 120_000,
): Promise<{ code: number | string; output: string }> {
  const process = spawnWeir(args, env, cwd);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    process.child.kill('SIGKILL');
  }, timeoutMs);
  const code = await process.exited;
  clearTimeout(timer);
  return { code: timedOut ? 'timeout' : code, output: process.output() };
}

// The CLI credential of each API base URL that waitForApi found, for apiFetch.
const tokens = new Map<string, string>();

/** The admin token `weir dev` keeps for the local CLI in `<dataDir>/cli-token`. */
export function readCliToken(dataDir: string): string {
  return readFileSync(join(dataDir, 'cli-token'), 'utf8').trim();
}

/**
 * `fetch(base + path)` authenticated as the CLI of the `weir dev` at `base` (found by
 * {@link waitForApi}), or with `token` when given.
 */
export function apiFetch(
  base: string,
  path: string,
  init: RequestInit = {},
  token = tokens.get(base),
): Promise<Response> {
  if (!token) throw new Error(`no API token known for ${base}: call waitForApi first or pass one`);
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(base + path, { ...init, headers });
}

/**
 * Waits until the `weir dev` holding `dataDir` has written its API port into the lock file, and
 * remembers its CLI token for {@link apiFetch}.
 */
export async function waitForApi(dataDir: string, dev: WeirProcess, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dev.child.exitCode !== null) throw new Error(`weir dev exited early:\n${dev.output()}`);
    try {
      const lock = JSON.parse(readFileSync(join(dataDir, 'weir.lock'), 'utf8')) as { pid: number; port: number | null };
      if (lock.pid === dev.child.pid && lock.port) {
        const base = `http://127.0.0.1:${lock.port}`;
        const health = await fetch(`${base}/healthz`).catch(() => undefined);
        if (health?.ok) {
          tokens.set(base, readCliToken(dataDir));
          return base;
        }
      }
    } catch {
      // not written yet
    }
    await sleep(100);
  }
  throw new Error(`weir dev did not come up:\n${dev.output()}`);
}

/** SIGKILLs a process and waits for it to be gone. */
export async function killHard(process: WeirProcess): Promise<void> {
  process.child.kill('SIGKILL');
  await process.exited;
}
