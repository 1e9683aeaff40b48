import type { Command } from 'commander';

export function registerGraph(program: Command): void {
  program
    .command('graph')
    .description('load and validate the asset project, then print its assets in dependency order')
    .option('--json', 'print the definitions snapshot as JSON')
    .option('-s, --select <selection>', 'only the selected assets')
    .action(async (options: { json?: boolean; select?: string }, command: Command) =>
      (await import('./graph.action.js')).runGraph(options, command),
    );
}
