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

// The benchmarks that drive real `weir` processes through the API (a change to the API once broke
// one without any test noticing) or the isolates (which load the bench project from disk). Tiny
// sizes: this checks they run and print their figures, never what the figures are.
describe('benchmarks that start weir processes or isolates still run', () => {
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

  it('CLI start-up: weir --version and --help beside node', { timeout: 120_000 }, async () => {
    const { code, output } = await runBench('dist/bench/cli-startup.bench.js', { WEIR_BENCH_CLI_RUNS: '2' });
    expect(code, output).toBe(0);
    expect(output).toMatch(/node -e '' \(baseline\)\s+median\s+\d+ ms/);
    expect(output).toMatch(
      /weir --help\s+median\s+\d+ ms\s+best\s+\d+ ms\s+\(\d+\.\dx node -e ''\)\s+goal < 200 ms: (met|NOT met)/,
    );
    expect(output).toMatch(/weir graph \(example\)\s+median/);
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

  it(
    'isolation overhead: isolated vs direct no-op steps, engine steps/s isolated vs inline',
    { timeout: 180_000 },
    async () => {
      const { code, output } = await runBench('dist/bench/isolation-overhead.bench.js', {
        WEIR_BENCH_ISOLATED_CALLS: '50',
        WEIR_BENCH_ISOLATED_STEPS: '10',
      });
      expect(code, output).toBe(0);
      expect(output).toMatch(/isolated \d+ µs\/step, direct call \d+ µs\/step \(overhead -?\d+ µs\/step/);
      expect(output).toMatch(/engine, PostgreSQL\s+10 no-op steps.*isolated \d+ steps\/s, inline \d+ steps\/s/);
      expect(output).toMatch(/engine, embedded PGlite 10 no-op steps.*isolated \d+ steps\/s, inline \d+ steps\/s/);
    },
  );

  it('payload memory through isolated steps: the whole process tree', { timeout: 180_000 }, async () => {
    const { code, output } = await runBench('dist/bench/isolated-payload-memory.bench.js', {
      WEIR_BENCH_PAYLOAD_MB: '4',
    });
    expect(code, output).toBe(0);
    expect(output).toMatch(
      /payload 4 MiB upstream .* peak RSS of the process tree \d+ MiB .*baseline raw stream \d+ MiB/,
    );
    expect(output).toMatch(/embedded PGlite \(weir dev\): .* of which \d+ MiB before the run/);
  });

  it('tables: a DuckDB table through isolated steps, beside DuckDB alone', { timeout: 180_000 }, async () => {
    const { code, output } = await runBench('dist/bench/tables.bench.js', { WEIR_BENCH_TABLE_ROWS: '20000' });
    expect(code, output).toBe(0);
    expect(output).toMatch(
      /through Weir \(isolated steps, metadata on PostgreSQL\): [\d.]+ s .* peak RSS of the process tree \d+ MiB/,
    );
    expect(output).toMatch(/DuckDB alone, same COPY and aggregation .*: [\d.]+ s/);
    expect(output).toMatch(/ratios: throughput [\d.]+x DuckDB \(goal ≥ 0.5x: (met|NOT met)\); peak RSS [\d.]+x/);
  });
});
