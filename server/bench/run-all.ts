/**
 * Runs every benchmark in sequence (`npm run bench` at the repository root builds, then runs
 * this from dist). Each prints its own figures with a baseline measured in the same run.
 * Provisions nothing: PostgreSQL must be up (`bash .ci/provision.sh`). Exits non-zero if any
 * benchmark throws; the others still run.
 */
import { benchAutomation } from './automation.bench.js';
import { benchCliStartup } from './cli-startup.bench.js';
import { benchDistributedThroughput } from './distributed-throughput.bench.js';
import { benchFreshnessEvaluation } from './freshness-evaluation.bench.js';
import { benchConsoleLineage } from './console-lineage.bench.js';
import { benchGraphLoad } from './graph-load.bench.js';
import { benchGraphQLApi } from './graphql-api.bench.js';
import { benchIsolatedPayloadMemory } from './isolated-payload-memory.bench.js';
import { benchIsolationOverhead } from './isolation-overhead.bench.js';
import { benchMaterializeThroughput } from './materialize-throughput.bench.js';
import { benchPayloadMemory } from './payload-memory.bench.js';
import { benchPayloadS3Memory } from './payload-s3-memory.bench.js';
import { benchTables } from './tables.bench.js';
import { checkPostgres, machineLine } from './bench-support.js';

interface Bench {
  readonly title: string;
  readonly file: string;
  readonly run: () => Promise<void>;
}

const BENCHES: readonly Bench[] = [
  {
    title: 'CLI start-up: weir --version, --help and graph beside node',
    file: 'bench/cli-startup.bench.ts',
    run: benchCliStartup,
  },
  { title: 'graph load and validation', file: 'bench/graph-load.bench.ts', run: benchGraphLoad },
  {
    title: 'no-op materialization throughput',
    file: 'bench/materialize-throughput.bench.ts',
    run: benchMaterializeThroughput,
  },
  {
    title: 'isolation overhead: no-op steps in worker-thread isolates vs a direct call',
    file: 'bench/isolation-overhead.bench.ts',
    run: benchIsolationOverhead,
  },
  {
    title: 'distributed throughput (weir server + workers, BullMQ on Redis)',
    file: 'bench/distributed-throughput.bench.ts',
    run: benchDistributedThroughput,
  },
  {
    title: 'freshness evaluation pass (10k assets)',
    file: 'bench/freshness-evaluation.bench.ts',
    run: benchFreshnessEvaluation,
  },
  {
    title: 'automation: trigger latency and cron scheduler cost',
    file: 'bench/automation.bench.ts',
    run: benchAutomation,
  },
  {
    title: 'GraphQL API: asset graph of 10k assets, runs list of 100k runs',
    file: 'bench/graphql-api.bench.ts',
    run: benchGraphQLApi,
  },
  {
    title: 'console lineage in headless Chromium: 1k and 5k assets',
    file: 'bench/console-lineage.bench.ts',
    run: benchConsoleLineage,
  },
  { title: 'payload memory', file: 'bench/payload-memory.bench.ts', run: benchPayloadMemory },
  {
    title: 'payload memory through isolated steps (whole process tree)',
    file: 'bench/isolated-payload-memory.bench.ts',
    run: benchIsolatedPayloadMemory,
  },
  { title: 'payload memory, S3 store', file: 'bench/payload-s3-memory.bench.ts', run: benchPayloadS3Memory },
  {
    title: 'tables: 10M rows by DuckDB → Parquet → downstream aggregation, beside DuckDB alone',
    file: 'bench/tables.bench.ts',
    run: benchTables,
  },
];

async function main(): Promise<number> {
  console.log(machineLine());
  // The materialization bench needs PostgreSQL: say so before spending minutes on the others.
  try {
    console.log(`postgres: ${await checkPostgres()}`);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    return 1;
  }
  const failed: string[] = [];
  const started = performance.now();
  for (const bench of BENCHES) {
    console.log(`\n== ${bench.title} (${bench.file}) ==`);
    const start = performance.now();
    try {
      await bench.run();
      console.log(`-- ${bench.title}: done in ${seconds(performance.now() - start)}`);
    } catch (error) {
      failed.push(bench.title);
      console.error(`-- ${bench.title}: FAILED after ${seconds(performance.now() - start)}:`, error);
    }
  }
  console.log(
    `\nall benchmarks: ${seconds(performance.now() - started)}${failed.length > 0 ? `; FAILED: ${failed.join(', ')}` : ''}`,
  );
  return failed.length > 0 ? 1 : 0;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

// Not process.exit(): let stdout drain; a handle left open would show up as a hang, not be hidden.
process.exitCode = await main();
