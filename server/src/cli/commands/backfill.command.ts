import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackfillView } from '../../backfills/backfill-store.js';
import { DEFAULT_MAX_CONCURRENT_RUNS } from '../../backfills/backfill-defaults.js';
import { configFor } from '../cli-options.js';
import { connect } from '../connect.js';
import { addPartitionOptions, requestedPartitions, type PartitionFlags } from '../partition-options.js';
import { BackfillProgress, backfillSummary } from '../render/backfill-progress.js';
import { dim } from '../render/format.js';
import { CliError, type WeirClient } from '../weir-client.js';

const isEnded = (backfill: BackfillView) => !['queued', 'running'].includes(backfill.status);

/** Polls a backfill until it ends. A lost server is explained: the backfill resumes when it is back. */
async function followBackfill(
  client: WeirClient,
  id: string,
  onUpdate: (backfill: BackfillView) => void,
): Promise<BackfillView> {
  const interval = client.mode === 'local' ? 100 : 250;
  for (;;) {
    let backfill: BackfillView;
    try {
      backfill = await client.getBackfill(id);
    } catch (error) {
      if (client.mode === 'local' || !(error instanceof CliError)) throw error;
      throw new CliError(
        `${error.message}\nbackfill ${id} is recorded: it resumes where it stopped when \`weir dev\` (or \`weir server\`) starts again`,
      );
    }
    onUpdate(backfill);
    if (isEnded(backfill)) return backfill;
    await sleep(interval);
  }
}

export function registerBackfill(program: Command): void {
  addPartitionOptions(
    program
      .command('backfill')
      .description(
        'materialize partitions of the selected assets, one run per partition, a few at a time; resumable (exit code 1 if a partition fails)',
      )
      .argument('[selection]', 'partitioned assets to backfill, e.g. gold/daily_orders or group:daily'),
  )
    .option('--max-runs <n>', `partition runs in flight at once (default ${DEFAULT_MAX_CONCURRENT_RUNS})`)
    .option(
      '--retry-failed <backfill-id>',
      'run the failed partitions of a failed backfill again, each from its failure (steps that succeeded are reused)',
    )
    .option('--json', 'print the final backfill as JSON instead of a summary')
    .option('--no-wait', 'print the backfill id and return at once (needs a running `weir dev` or `weir server`)')
    .addHelpText(
      'after',
      '\nExamples:\n  weir backfill gold/daily_orders --from 2025-04-01 --to 2025-06-29\n  weir backfill regional/sales --partitions eu,us --max-runs 2\n  weir backfill --retry-failed 3f2b9c1e-…\n\nA backfill survives restarts: `weir dev` (or the leading `weir server`) resumes it without running finished partitions again.',
    )
    .action(
      async (
        selection: string | undefined,
        options: PartitionFlags & { maxRuns?: string; retryFailed?: string; json?: boolean; wait: boolean },
        command: Command,
      ) => {
        const partitions = requestedPartitions(options);
        if (options.retryFailed !== undefined && (selection !== undefined || partitions || options.maxRuns))
          throw new CliError(
            '--retry-failed takes no selection, partitions or --max-runs: the backfill being retried has them',
          );
        if (options.retryFailed === undefined && selection === undefined)
          throw new CliError('a backfill needs a selection, e.g. `weir backfill gold/daily_orders --from A --to B`');
        if (options.retryFailed === undefined && !partitions)
          throw new CliError('a backfill needs partitions: --from A --to B, or --partitions a,b');
        const maxConcurrentRuns = options.maxRuns === undefined ? undefined : Number(options.maxRuns);
        if (maxConcurrentRuns !== undefined && (!Number.isInteger(maxConcurrentRuns) || maxConcurrentRuns < 1))
          throw new CliError(`--max-runs must be a positive integer (got ${options.maxRuns})`);
        const client = await connect(configFor(command), 'backfill', { withEngine: true });
        try {
          const started =
            options.retryFailed !== undefined
              ? await client.retryBackfill(options.retryFailed)
              : await client.createBackfill({ selection: selection!, partitions: partitions!, maxConcurrentRuns });
          if (!options.wait && client.mode === 'remote') {
            process.stdout.write(`${started.id}\n`);
            return;
          }
          const what =
            options.retryFailed !== undefined
              ? `retrying ${started.counts.pending + started.counts.running} failed partition(s) of '${started.selection}'`
              : `${started.total} partitions of '${started.selection}'`;
          process.stderr.write(
            `${dim(`backfill ${started.id} · ${what} · at most ${started.maxConcurrentRuns} runs at once · ${client.mode === 'remote' ? 'on the running weir dev' : 'in this process'}`)}\n`,
          );
          const progress = new BackfillProgress();
          const final = await followBackfill(client, started.id, (view) => !options.json && progress.update(view));
          if (!options.json) progress.finish(final);
          process.stdout.write(options.json ? `${JSON.stringify(final, null, 2)}\n` : `${backfillSummary(final)}\n`);
          if (final.status !== 'succeeded') process.exitCode = 1;
        } finally {
          await client.close();
        }
      },
    );
}
