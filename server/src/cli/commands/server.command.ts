import type { Command } from 'commander';

export function registerServer(program: Command): void {
  program
    .command('server')
    .description(
      'run the API and the scheduler of a distributed deployment (several may run; one leads); steps run on `weir worker`',
    )
    .option('--port <port>', 'HTTP port (env WEIR_PORT, default 3000; 0 picks a free one)')
    .option('--host <host>', 'address to listen on (env WEIR_HOST, default 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }, command: Command) =>
      (await import('./server.action.js')).runServer(options, command),
    );
}
