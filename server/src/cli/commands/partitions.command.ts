import type { Command } from 'commander';
import { configFor } from '../cli-options.js';
import { connect } from '../connect.js';
import { bold, dim, green } from '../render/format.js';
import { renderTable } from '../render/table.js';

export function registerPartitions(program: Command): void {
  const partitions = program
    .command('partitions')
    .description('dynamic partition keys, and the partitions of an asset');
  partitions
    .command('add')
    .description('add keys to a dynamic partition set (assets with dynamicPartitions(<set>) get those partitions)')
    .argument('<set>', "the set's name, as given to dynamicPartitions()")
    .argument('<keys...>', 'partition keys to add')
    .action(async (set: string, keys: string[], _options: unknown, command: Command) => {
      const client = await connect(configFor(command), 'partitions', { withEngine: false });
      try {
        const added = await client.addPartitions(set, keys);
        const existing = keys.filter((key) => !added.includes(key));
        process.stdout.write(
          `${green(`added ${added.length} partition(s) to '${set}'`)}${added.length ? `: ${added.join(', ')}` : ''}${existing.length ? dim(` (already there: ${[...new Set(existing)].join(', ')})`) : ''}\n`,
        );
      } finally {
        await client.close();
      }
    });
  partitions
    .command('list')
    .description("list an asset's partitions with their latest materialization")
    .argument('<asset>', 'a partitioned asset key')
    .option('--json', 'print JSON')
    .action(async (assetKey: string, options: { json?: boolean }, command: Command) => {
      const client = await connect(configFor(command), 'partitions', { withEngine: false });
      try {
        const view = await client.listPartitions(assetKey);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
          return;
        }
        const rows = view.partitions.map((p) => [
          p.key,
          p.materializedAt ? p.materializedAt.replace('T', ' ').slice(0, 19) : dim('missing'),
          p.runId ? p.runId.slice(0, 8) : '',
        ]);
        const done = view.partitions.filter((p) => p.materializedAt).length;
        process.stdout.write(`${renderTable(['partition', 'last materialized (UTC)', 'run'], rows)}\n\n`);
        process.stdout.write(
          `${bold(`${view.assetKey}`)}: ${view.definition} · ${done} of ${view.partitions.length} partitions materialized\n`,
        );
      } finally {
        await client.close();
      }
    });
}
