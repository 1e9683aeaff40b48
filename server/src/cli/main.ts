import { Command, CommanderError } from 'commander';
import { addGlobalOptions } from './cli-options.js';
import { registerBackfill } from './commands/backfill.command.js';
import { registerDev } from './commands/dev.command.js';
import { registerFreshness } from './commands/freshness.command.js';
import { registerGc } from './commands/gc.command.js';
import { registerGraph } from './commands/graph.command.js';
import { registerInit } from './commands/init.command.js';
import { registerLogs } from './commands/logs.command.js';
import { registerMaterialize } from './commands/materialize.command.js';
import { registerMigrate } from './commands/migrate.command.js';
import { registerPartitions } from './commands/partitions.command.js';
import { registerRuns } from './commands/runs.command.js';
import { registerReport } from './commands/report.command.js';
import { registerCancel, registerReexecute } from './commands/run-control.command.js';
import { registerServer } from './commands/server.command.js';
import { registerTest } from './commands/test.command.js';
import { registerToken } from './commands/token.command.js';
import { registerWorker } from './commands/worker.command.js';
import { red } from './render/format.js';

// Errors whose message is complete for a user: no stack trace needed.
const USER_ERRORS = new Set([
  'ReexecutionError',
  'BackfillRetryError',
  'CancellationError',
  'CliError',
  'AssetDefinitionError',
  'SelectionError',
  'EmptySelectionError',
  'ProjectLoadError',
  'ConfigError',
  'PartitionError',
  'RunConfigError',
  'AuthError',
  'ForbiddenRoleError',
  'RateLimitedError',
  'TokenNotFoundError',
  'TokenInputError',
  'GcUnsupportedError',
]);

export function buildProgram(): Command {
  const program = addGlobalOptions(new Command('weir'))
    .description('Weir: an asset-oriented data orchestrator')
    .version('0.1.0')
    .showHelpAfterError()
    .addHelpText(
      'after',
      '\nConfiguration comes from WEIR_* environment variables; flags override them. See the README for the list.',
    );
  registerInit(program);
  registerDev(program);
  registerServer(program);
  registerWorker(program);
  registerMigrate(program);
  registerMaterialize(program);
  registerBackfill(program);
  registerPartitions(program);
  registerGraph(program);
  registerRuns(program);
  registerLogs(program);
  registerFreshness(program);
  registerReexecute(program);
  registerCancel(program);
  registerReport(program);
  registerToken(program);
  registerGc(program);
  registerTest(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const name = (error as Error)?.name;
    process.stderr.write(
      `${red('error:')} ${USER_ERRORS.has(name) ? (error as Error).message : ((error as Error)?.stack ?? String(error))}\n`,
    );
    process.exitCode = 2;
  }
}
