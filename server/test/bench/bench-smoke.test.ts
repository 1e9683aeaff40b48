import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SERVER_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a compiled benchmark (the test command builds them) as `npm run bench` would, at a tiny size. */
function runBench(file: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], {
      cwd: SERVER_DIR,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

// The benchmarks that drive real `weir` processes through the API: a change to the API (auth,
// routes) once broke one without any test noticing. Tiny sizes: this checks they run and print
// their figures, never what the figures are.
describe('benchmarks that start weir processes still run', () => {
  it('distributed throughput: weir server + a worker on Redis, beside raw BullMQ', { timeout: 240_000 }, async () => {
    const { code, output } = await runBench('dist/bench/distributed-throughput.bench.js', {
      WEIR_BENCH_DIST_STEPS: '20',
      WEIR_BENCH_DIST_WARMUP: '10',
      WEIR_BENCH_DIST_CHAIN: '3',
      WEIR_BENCH_DIST_WORKERS: '1',
      WEIR_BENCH_BULLMQ_JOBS: '200',
    });
    expect(code, output).toBe(0);
    expect(output).toMatch(/raw BullMQ no-op jobs\s+200 jobs .* jobs\/s/);
    expect(output).toMatch(/no-op steps, 1 worker .* 20 steps .* steps\/s\s+\(\d+\.\d+x raw BullMQ\)/);
    expect(output).toMatch(/chain \(3 steps, one ready at a time\): p50 [\d.]+ ms\s+p99 [\d.]+ ms/);
  });

  it('automation: trigger latency and the cron scheduler', { timeout: 120_000 }, async () => {
    const { code, output } = await runBench('dist/bench/automation.bench.js', {
      WEIR_BENCH_TRIGGER_PAIRS: '5',
      WEIR_BENCH_CRON_SCHEDULES: '200',
    });
    expect(code, output).toBe(0);
    expect(output).toMatch(/→ downstream run created\s+p50 [\d.]+ ms\s+p99 [\d.]+ ms/);
    expect(output).toMatch(/scheduler with 200 cron schedules/);
  });
});
