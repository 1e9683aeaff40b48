import { setTimeout as sleep } from 'node:timers/promises';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { WeirChild } from './weir-processes.js';
import { CpuFigures } from './figures.js';

// ---------------------------------------------------------------------------------------------
// CPU accounting (Linux /proc; skipped elsewhere). The machine may be shared: what the bench's
// own processes did not use is reported as "other".

export interface CpuSnapshot {
  readonly server: number;
  readonly workers: number;
  readonly postgres: number;
  readonly redis: number;
  readonly bench: number;
  /** Every other process on the machine: pid → name and CPU seconds so far. */
  readonly others: ReadonlyMap<number, { readonly name: string; readonly cpu: number }>;
  readonly machine: MachineTicks;
}

export interface MachineTicks {
  /** CPU seconds spent busy, summed over all CPUs. */
  readonly busy: number;
  readonly total: number;
}

let clockTicks: number | undefined;

export function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU seconds of a process, or 0 when it is gone or unreadable. */
export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of every process but the bench's own Weir processes and Redis (`ours`), with the
 * PostgreSQL processes working for this bench — the backends connected to `databaseName` and
 * the server's shared processes (postmaster, WAL writer, checkpointer…) — summed apart.
 */
export function processTable(
  ours: ReadonlySet<number>,
  databaseName: string,
): { postgres: number; others: Map<number, { name: string; cpu: number }> } {
  let postgres = 0;
  const others = new Map<number, { name: string; cpu: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (ours.has(pid) || pid === process.pid) continue;
    try {
      const name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      const cpu = processCpuSeconds(pid);
      if (name === 'postgres') {
        const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ');
        // A backend's title: "postgres: 15/main: <user> <database> <client> <state>".
        const backend = /\(\d+\)|\[local\]/.test(title);
        if (!backend || title.includes(` ${databaseName} `)) {
          postgres += cpu;
          continue;
        }
        others.set(pid, { name: 'postgres (other databases)', cpu });
      } else {
        others.set(pid, { name, cpu });
      }
    } catch {
      // exited meanwhile
    }
  }
  return { postgres, others };
}

export function machineTicks(): MachineTicks | undefined {
  if (!existsSync('/proc/stat')) return undefined;
  // cpu  user nice system idle iowait irq softirq steal
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { busy: (total - idle) / ticksPerSecond(), total: total / ticksPerSecond() };
}

/** How busy the machine is over `ms` while the bench does nothing (other users' load). */
export async function backgroundLoad(ms: number): Promise<number | undefined> {
  const before = machineTicks();
  await sleep(ms);
  const after = machineTicks();
  if (!before || !after || after.total <= before.total) return undefined;
  return (after.busy - before.busy) / (after.total - before.total);
}

export function cpuSnapshot(
  server: WeirChild,
  workers: readonly WeirChild[],
  redisPid: number | undefined,
  databaseName: string,
): CpuSnapshot | undefined {
  const machine = machineTicks();
  if (!machine) return undefined;
  const usage = process.cpuUsage();
  const ours = new Set(
    [server.pid, redisPid, ...workers.map((worker) => worker.pid)].filter((pid) => pid !== undefined),
  );
  const { postgres, others } = processTable(ours, databaseName);
  return {
    server: processCpuSeconds(server.pid),
    workers: workers.reduce((sum, worker) => sum + processCpuSeconds(worker.pid), 0),
    postgres,
    redis: processCpuSeconds(redisPid),
    bench: (usage.user + usage.system) / 1e6,
    others,
    machine,
  };
}

export function cpuDelta(before: CpuSnapshot | undefined, after: CpuSnapshot | undefined): CpuFigures | undefined {
  if (!before || !after) return undefined;
  const busy = after.machine.busy - before.machine.busy;
  const total = after.machine.total - before.machine.total;
  const figures = {
    server: after.server - before.server,
    workers: after.workers - before.workers,
    postgres: after.postgres - before.postgres,
    redis: after.redis - before.redis,
    bench: after.bench - before.bench,
  };
  const byName = new Map<string, number>();
  for (const [pid, { name, cpu }] of after.others) {
    const spent = cpu - (before.others.get(pid)?.cpu ?? 0);
    if (spent > 0) byName.set(name, (byName.get(name) ?? 0) + spent);
  }
  const ours = Object.values(figures).reduce((sum, value) => sum + value, 0);
  const others = [...byName.values()].reduce((sum, value) => sum + value, 0);
  return {
    ...figures,
    other: Math.max(0, busy - ours),
    topOthers: [...byName.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 3)
      .filter(([, cpu]) => cpu >= 0.05)
      .map(([name, cpu]) => ({ name, cpu })),
    unattributed: Math.max(0, busy - ours - others),
    machineBusy: total > 0 ? busy / total : 0,
  };
}
