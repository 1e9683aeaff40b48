import type { Command } from 'commander';

export function registerDev(program: Command): void {
  program
    .command('dev')
    .description(
      'run Weir on one machine: engine, in-process executor and HTTP API, on the embedded database; reloads definitions when project files change',
    )
    .option('--port <port>', 'HTTP port (env WEIR_PORT, default 3000; 0 picks a free one)')
    .option('--host <host>', 'address to listen on (env WEIR_HOST, default 127.0.0.1)')
    .option('--no-watch', 'do not reload definitions when files change')
    .action(async (options: { port?: string; host?: string; watch: boolean }, command: Command) =>
      (await import('./dev.action.js')).runDev(options, command),
    );
}
