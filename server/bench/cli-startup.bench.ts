/**
 * Benchmark: how long the `weir` CLI takes to answer, run as real processes: `--version`,
 * `--help` and `weir graph` on the example project (which loads and validates it), each beside a
 * bare `node -e ''` start measured in the same run (the floor any Node CLI pays). Median and
 * best of N runs each (WEIR_BENCH_CLI_RUNS, default 15); goal: `--version` and `--help` under
 * 200 ms.
 *
 *   node dist/bench/cli-startup.bench.js        # compiled (spawns bin/weir.js)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isMainModule, sizeFromEnv } from './bench-support.js';

const SERVER_DIR = fileURLToPath(new URL('../../', import.meta.url));
const WEIR_BIN = `${SERVER_DIR}bin/weir.js`;
const EXAMPLE_PROJECT = `${SERVER_DIR}../assets`;
const GOAL_MS = 200;

interface Timing {
  readonly median: number;
  readonly best: number;
}

function time(args: readonly string[], runs: number): Timing {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    execFileSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)]!, best: samples[0]! };
}

export async function benchCliStartup(): Promise<void> {
  const runs = sizeFromEnv('WEIR_BENCH_CLI_RUNS', 15, 200);
  const node = time(['-e', ''], runs);
  const line = (label: string, timing: Timing, goal?: number) =>
    console.log(
      [
        label.padEnd(26),
        `median ${timing.median.toFixed(0).padStart(5)} ms`,
        `best ${timing.best.toFixed(0).padStart(5)} ms`,
        `(${(timing.median / node.median).toFixed(1)}x node -e '')`,
        goal === undefined ? '' : timing.median < goal ? `goal < ${goal} ms: met` : `goal < ${goal} ms: NOT met`,
      ].join('  '),
    );
  console.log(`CLI start-up, ${runs} runs each`);
  line("node -e '' (baseline)", node);
  line('weir --version', time([WEIR_BIN, '--version'], runs), GOAL_MS);
  line('weir --help', time([WEIR_BIN, '--help'], runs), GOAL_MS);
  line('weir graph (example)', time([WEIR_BIN, 'graph', '--project', EXAMPLE_PROJECT], Math.min(runs, 5)));
  await Promise.resolve();
}

if (isMainModule(import.meta.url)) await benchCliStartup();
