import type { Command } from 'commander';
import type { FreshnessView } from '../../freshness/freshness-report.js';
import { formatDuration } from '../../sdk/duration.js';
import { configFor } from '../cli-options.js';
import { connect } from '../connect.js';
import { green, red, yellow } from '../render/format.js';
import { renderTable } from '../render/table.js';

export function registerFreshness(program: Command): void {
  program
    .command('freshness')
    .description('show the freshness of every asset with a policy: status, lag, next deadline, last breach')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const client = await connect(configFor(command), 'freshness', { withEngine: false });
      try {
        const rows = await client.freshness();
        if (options.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write("no asset has a freshness policy: add e.g. `freshness: maxLag('1d')` to an asset\n");
          return;
        }
        process.stdout.write(
          `${renderTable(
            ['asset', 'policy', 'status', 'last materialized (UTC)', 'lag', 'next deadline (UTC)', 'last breach (UTC)'],
            rows.map(freshnessRow),
          )}\n`,
        );
      } finally {
        await client.close();
      }
    });
}

function freshnessRow(row: FreshnessView): string[] {
  return [
    // A time-partitioned asset is held to its partition due now.
    row.partitionKey ? `${row.assetKey} [${row.partitionKey}]` : row.assetKey,
    row.policy,
    statusCell(row),
    row.lastMaterializedAt ? when(row.lastMaterializedAt) : 'never',
    row.lagMs === null ? '—' : formatDuration(row.lagMs),
    row.nextDeadline ? when(row.nextDeadline) : '—',
    row.lastBreachAt ? when(row.lastBreachAt) : '—',
  ];
}

function statusCell(row: FreshnessView): string {
  if (row.status === 'fresh') return green('fresh');
  if (row.status === 'warning') return yellow('warning');
  return red(row.missedDeadline ? `late (missed ${when(row.missedDeadline)})` : 'late');
}

function when(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16);
}
