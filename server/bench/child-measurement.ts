/**
 * Runs one measurement of a memory benchmark in a fresh child process (the same module, started
 * with `--child=<measurement>`), so that each peak RSS belongs to one measurement, and samples
 * the resident memory of the child's whole process tree while it runs.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const MIB = 1024 * 1024;
const RESULT_MARKER = 'WEIR_BENCH_RESULT ';
const CHILD_FLAG = '--child=';
const TREE_SAMPLE_MS = 50;

/** What a child reported, and the highest resident memory its process tree was seen at. */
export interface ChildMeasurement<Result> {
  readonly result: Result;
  /** Sum of VmRSS over the child and its descendants, at the highest of the samples. */
  readonly treePeakRssKiB: number;
}

/** The measurement this process was started to run (`--child=<name>`), if it is a child. */
export function childMeasurementName(): string | undefined {
  return process.argv.find((arg) => arg.startsWith(CHILD_FLAG))?.slice(CHILD_FLAG.length);
}

/** The payload size of the memory benchmarks: `WEIR_BENCH_PAYLOAD_MB`, default 1 GiB. */
export function payloadMiB(): number {
  const raw = process.env.WEIR_BENCH_PAYLOAD_MB;
  if (raw === undefined || raw === '') return 1024;
  const mib = Number(raw);
  if (!Number.isSafeInteger(mib) || mib <= 0) {
    throw new Error(`WEIR_BENCH_PAYLOAD_MB must be a positive whole number of MiB, got "${raw}"`);
  }
  return mib;
}

/** Starts `moduleUrl` again with `--child=<measurement>` and returns what it reported. */
export async function runChildMeasurement<Result>(
  moduleUrl: string,
  measurement: string,
  env: NodeJS.ProcessEnv,
): Promise<ChildMeasurement<Result>> {
  const child = spawn(
    process.execPath,
    [...childExecArgv(moduleUrl), fileURLToPath(moduleUrl), `${CHILD_FLAG}${measurement}`],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  let treePeakRssKiB = 0;
  const sampler = setInterval(() => {
    if (child.pid !== undefined) treePeakRssKiB = Math.max(treePeakRssKiB, processTreeRssKiB(child.pid));
  }, TREE_SAMPLE_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  }).finally(() => clearInterval(sampler));
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
  if (code !== 0 || line === undefined) {
    throw new Error(`bench child "${measurement}" failed (exit code ${code}); output:\n${stdout}`);
  }
  return { result: JSON.parse(line.slice(RESULT_MARKER.length)) as Result, treePeakRssKiB };
}

/** The child's last word: its result, on stdout, for {@link runChildMeasurement}. */
export function reportMeasurement(result: object): void {
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(result)}\n`);
}

function childExecArgv(moduleUrl: string): string[] {
  // Run from source without a TypeScript loader inherited (e.g. imported by a test runner), the
  // child needs one to load the .ts file.
  const fromSource = moduleUrl.endsWith('.ts');
  if (!fromSource || process.execArgv.some((arg) => arg.includes('tsx'))) return process.execArgv;
  return [...process.execArgv, '--import', import.meta.resolve('tsx')];
}

/**
 * Resident memory of `rootPid` and every process descended from it, in KiB (Linux; 0 where
 * /proc is missing). Threads are part of their process: worker-thread isolates count once.
 */
export function processTreeRssKiB(rootPid: number): number {
  let children: Map<number, number[]>;
  try {
    children = childrenByParent();
  } catch {
    return 0;
  }
  let total = 0;
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    total += residentKiB(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return total;
}

function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended while we looked
    }
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const siblings = children.get(ppid) ?? [];
    siblings.push(Number(entry));
    children.set(ppid, siblings);
  }
  return children;
}

function residentKiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export function sizeLabel(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function kibToMib(kib: number): string {
  return `${Math.round(kib / 1024)} MiB`;
}
