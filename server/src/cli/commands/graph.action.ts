import type { Command } from 'commander';
import { configFor } from '../cli-options.js';
import { loadProject } from '../../project/project-loader.js';
import { bold, dim } from '../render/format.js';
import { renderTable } from '../render/table.js';
import { describePartitions } from '../../partitions/partition-keys.js';

/** The `weir graph` command's work, imported only when it runs (the CLI starts without it). */
export async function runGraph(options: { json?: boolean; select?: string }, command: Command): Promise<void> {
  const config = configFor(command);
  const { graph, entry } = await loadProject(config.projectPath);
  const keys = new Set(options.select ? graph.select(options.select) : graph.keys);
  const snapshot = graph.toSnapshot().filter((asset) => keys.has(asset.key));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ hash: graph.hash, assets: snapshot }, null, 2)}\n`);
    return;
  }
  // A partitions column only for projects that have partitioned assets.
  const partitioned = snapshot.some((asset) => asset.partitions);
  const rows = snapshot.map((asset) => {
    const partitions = graph.partitionsOf(asset.key);
    return [
      asset.kind === 'source' ? `${asset.key} ${dim('(source)')}` : asset.key,
      asset.group,
      Object.values(asset.deps).join(', ') || dim('—'),
      graph.downstreamOf(asset.key).join(', ') || dim('—'),
      ...(partitioned ? [partitions ? describePartitions(partitions) : dim('—')] : []),
      asset.definedAt,
    ];
  });
  const headers = ['asset', 'group', 'upstream', 'downstream', ...(partitioned ? ['partitions'] : []), 'defined at'];
  process.stdout.write(`${renderTable(headers, rows)}\n\n`);
  process.stdout.write(
    `${bold(`${snapshot.length} assets`)} from ${entry} ${dim(`(definitions ${graph.hash.slice(0, 12)})`)} — valid\n`,
  );
}
