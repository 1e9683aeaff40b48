import type { Command } from 'commander';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run queued steps of a distributed deployment (start as many as you like, on any machine)')
    .option('-c, --concurrency <n>', 'steps this worker runs at once (env WEIR_CONCURRENCY, default: CPU count)')
    .action(async (options: { concurrency?: string }, command: Command) =>
      (await import('./worker.action.js')).runWorker(options, command),
    );
}
