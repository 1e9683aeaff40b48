import type { Command } from 'commander';
import { configFor } from '../cli-options.js';
import { connect } from '../connect.js';
import { elapsed, statusLabel, stepCounts } from '../render/format.js';
import { renderTable } from '../render/table.js';

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('list recent runs, newest first')
    .option('-n, --limit <n>', 'how many runs', '20')
    .option('--json', 'print JSON')
    .action(async (options: { limit: string; json?: boolean }, command: Command) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new Error(`--limit must be a positive integer (got ${options.limit})`);
      const client = await connect(configFor(command), 'runs', { withEngine: false });
      try {
        const runs = await client.listRuns(limit);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
          return;
        }
        if (runs.length === 0) {
          process.stdout.write("no runs yet: try `weir materialize '*'`\n");
          return;
        }
        const rows = runs.map((run) => {
          const counts = stepCounts(run);
          const steps = Object.entries(counts)
            .map(([status, n]) => `${n} ${status}`)
            .join(', ');
          return [
            run.id,
            statusLabel(run.status),
            run.trigger,
            run.selection,
            steps,
            run.createdAt.replace('T', ' ').slice(0, 19),
            elapsed(run.startedAt, run.endedAt),
          ];
        });
        process.stdout.write(
          `${renderTable(['run', 'status', 'trigger', 'selection', 'steps', 'created (UTC)', 'time'], rows)}\n`,
        );
      } finally {
        await client.close();
      }
    });
}
