import type { Command } from 'commander';
import { configFor } from '../cli-options.js';
import { connect } from '../connect.js';
import { dim, statusLabel } from '../render/format.js';
import { ProgressBar } from '../render/progress-bar.js';
import { CliError } from '../weir-client.js';
import { followRun, runSummary } from './materialize.command.js';

export function registerReexecute(program: Command): void {
  program
    .command('reexecute')
    .description(
      'run an ended run again: from its failure (succeeded steps reuse their outputs, nothing is recomputed) or all of it',
    )
    .argument('<run-id>', 'the run id, or a unique prefix of it')
    .option('--from-failure', 'reuse what succeeded, run the failed, skipped and canceled steps (default)')
    .option('--all', 'run every step again')
    .option('--no-wait', 'print the new run id and return at once (needs a running weir dev or server)')
    .action(
      async (runId: string, options: { fromFailure?: boolean; all?: boolean; wait: boolean }, command: Command) => {
        if (options.fromFailure && options.all) throw new CliError('choose one of --from-failure and --all');
        const client = await connect(configFor(command), 'reexecute', { withEngine: true });
        try {
          const run = await client.reexecute(runId, options.all ? 'all' : 'from-failure');
          if (!options.wait && client.mode === 'remote') {
            process.stdout.write(`${run.id}\n`);
            return;
          }
          const reused = run.steps.filter((step) => step.status === 'succeeded').length;
          process.stderr.write(
            `${dim(`run ${run.id} re-executes ${runId}: ${run.steps.length - reused} to run, ${reused} reused`)}\n`,
          );
          const progress = new ProgressBar();
          const final = await followRun(client, run.id, (view) => progress.update(view));
          progress.finish(final);
          process.stdout.write(`${runSummary(final)}\n`);
          if (final.status !== 'succeeded') process.exitCode = 1;
        } finally {
          await client.close();
        }
      },
    );
}

export function registerCancel(program: Command): void {
  program
    .command('cancel')
    .description('cancel a run: steps not started are canceled, running ones are aborted through ctx.signal')
    .argument('<run-id>', 'the run id, or a unique prefix of it')
    .action(async (runId: string, _options: unknown, command: Command) => {
      const client = await connect(configFor(command), 'cancel', { withEngine: true });
      try {
        const run = await client.cancel(runId);
        const final = run.status === 'canceling' ? await followRun(client, run.id, () => {}) : run;
        process.stdout.write(`run ${final.id} ${statusLabel(final.status)}\n`);
      } finally {
        await client.close();
      }
    });
}
