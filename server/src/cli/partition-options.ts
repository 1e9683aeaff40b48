import type { Command } from 'commander';
import type { RequestedPartitions } from '../runs/partition-plan.js';
import { CliError } from './weir-client.js';

/** The flags of commands that take partitions. */
export interface PartitionFlags {
  readonly from?: string;
  readonly to?: string;
  readonly partitions?: string;
}

/** Adds `--from`, `--to` and `--partitions` to a command. */
export function addPartitionOptions(command: Command): Command {
  return command
    .option('--from <key>', 'first partition of a range, e.g. 2025-01-01 (with --to; both included)')
    .option('--to <key>', 'last partition of a range, e.g. 2025-12-31 (with --from)')
    .option('--partitions <keys>', 'comma-separated partition keys, e.g. eu,us or 2025-01-01,2025-01-07');
}

/** The partitions the flags name, or undefined for none. */
export function requestedPartitions(flags: PartitionFlags): RequestedPartitions | undefined {
  const { from, to, partitions } = flags;
  if (partitions !== undefined && (from !== undefined || to !== undefined))
    throw new CliError('give either --partitions or --from/--to, not both');
  if (partitions !== undefined) {
    const keys = partitions
      .split(',')
      .map((key) => key.trim())
      .filter((key) => key !== '');
    if (keys.length === 0) throw new CliError(`--partitions needs at least one key (got '${partitions}')`);
    return keys;
  }
  if (from === undefined && to === undefined) return undefined;
  if (from === undefined || to === undefined) throw new CliError('--from and --to go together: give both');
  return { from, to };
}
