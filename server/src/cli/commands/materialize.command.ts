import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunView } from '../../runs/run-queries.js';
import { configFor } from '../cli-options.js';
import { connect } from '../connect.js';
import {
  bold,
  checksLabel,
  dim,
  elapsed,
  isFinished,
  metadataLabel,
  outputLabel,
  statusLabel,
  stepLabel,
} from '../render/format.js';
import { ProgressBar } from '../render/progress-bar.js';
import { renderTable } from '../render/table.js';
import type { WeirClient } from '../weir-client.js';
import { addPartitionOptions, requestedPartitions, type PartitionFlags } from '../partition-options.js';
import { readConfigOption } from '../config-option.js';

/** Polls a run until it ends, feeding the progress display. */
export async function followRun(client: WeirClient, runId: string, onUpdate: (run: RunView) => void): Promise<RunView> {
  const interval = client.mode === 'local' ? 100 : 250;
  for (;;) {
    const run = await client.getRun(runId);
    onUpdate(run);
    if (isFinished(run)) return run;
    await sleep(interval);
  }
}

/** The summary printed when a run ends: one row per step (a `checks` column when any has checks). */
export function runSummary(run: RunView): string {
  const withChecks = run.steps.some((step) => step.checks.length > 0);
  const rows = run.steps.map((step) => [
    stepLabel(step),
    statusLabel(step.status),
    String(step.attempts),
    elapsed(step.startedAt, step.endedAt),
    outputLabel(step),
    ...(withChecks ? [checksLabel(step)] : []),
    metadataLabel(step),
  ]);
  const headers = ['asset', 'status', 'tries', 'time', 'output', ...(withChecks ? ['checks'] : []), 'metadata'];
  const table = renderTable(headers, rows);
  return `${table}\n\n${bold(`run ${run.id} ${statusLabel(run.status)}`)} in ${elapsed(run.startedAt ?? run.createdAt, run.endedAt)} ${dim(`(weir logs ${run.id.slice(0, 8)})`)}`;
}

export function registerMaterialize(program: Command): void {
  addPartitionOptions(
    program
      .command('materialize')
      .description(
        'materialize the selected assets and wait for the run to end (exit code 1 if it fails); partitioned assets run their latest partition unless partitions are given',
      )
      .argument(
        '<selection>',
        "assets to run: key, +key (with upstream), key+ (with downstream), group:name, tag:name, '*' (all); comma-separated terms combine",
      ),
  )
    .option(
      '--config <json|file>',
      'run config keyed by asset key, inline or a JSON file: \'{"silver/orders": {"sampleSize": 10}}\' (checked against the assets\' schemas before the run is created; exit code 2 if refused)',
    )
    .option('--json', 'print the final run as JSON instead of a table')
    .option('--no-wait', 'print the run id and return at once (needs a running `weir dev`)')
    .addHelpText(
      'after',
      "\nExamples:\n  weir materialize '*'\n  weir materialize +gold/daily_revenue\n  weir materialize 'group:silver,bronze/orders+'\n  weir materialize gold/daily_orders --from 2025-06-01 --to 2025-06-07\n  weir materialize silver/orders --config '{\"silver/orders\": {\"sampleSize\": 10}}'",
    )
    .action(
      async (
        selection: string,
        options: PartitionFlags & { json?: boolean; wait: boolean; config?: string },
        command: Command,
      ) => {
        const partitions = requestedPartitions(options);
        const config = readConfigOption(options.config);
        const client = await connect(configFor(command), 'materialize', { withEngine: true });
        try {
          const run = await client.requestRun(selection, partitions, config);
          if (!options.wait && client.mode === 'remote') {
            process.stdout.write(`${run.id}\n`);
            return;
          }
          if (!options.json)
            process.stderr.write(
              `${dim(`run ${run.id} · ${run.steps.length} steps · ${client.mode === 'remote' ? 'on the running weir dev' : 'in this process'}`)}\n`,
            );
          const progress = new ProgressBar();
          const final = await followRun(client, run.id, (view) => !options.json && progress.update(view));
          if (!options.json) progress.finish(final);
          process.stdout.write(options.json ? `${JSON.stringify(final, null, 2)}\n` : `${runSummary(final)}\n`);
          if (final.status !== 'succeeded') process.exitCode = 1;
        } finally {
          await client.close();
        }
      },
    );
}
