import type { Command } from 'commander';

export function registerGc(program: Command): void {
  program
    .command('gc')
    .description(
      'delete orphaned objects: those under runs/ that no materialization, checkpoint or running attempt references, older than WEIR_GC_SAFETY_WINDOW (default 24h)',
    )
    .option('--dry-run', 'list what would be deleted, delete nothing')
    .option('--json', 'print the report as JSON')
    .action(async (options: { dryRun?: boolean; json?: boolean }, command: Command) =>
      (await import('./gc.action.js')).runGc(options, command),
    );
}
