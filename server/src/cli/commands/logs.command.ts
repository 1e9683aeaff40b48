import type { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventView } from '../../storage/event-log.js';
import { configFor } from '../cli-options.js';
import { connect } from '../connect.js';
import { dim, isFinished, red, yellow } from '../render/format.js';

function formatEvent(event: EventView): string {
  const time = event.createdAt.slice(11, 23);
  const level =
    event.level === 'error'
      ? red('ERROR')
      : event.level === 'warn'
        ? yellow('WARN ')
        : event.level.toUpperCase().padEnd(5);
  const fields = event.type === 'log' && Object.keys(event.data).length ? ` ${dim(JSON.stringify(event.data))}` : '';
  const asset = event.assetKey ? `${event.assetKey} ` : '';
  return `${dim(time)} ${level} ${asset}${dim(`[${event.type}]`)} ${event.message}${fields}`;
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description("print a run's event log: steps, attempts, retries, materializations (with URIs) and asset log lines")
    .argument('<run-id>', 'the run id, or a unique prefix of it')
    .option('-f, --follow', 'keep printing new events until the run ends')
    .option('--json', 'print events as JSON lines')
    .action(async (runId: string, options: { follow?: boolean; json?: boolean }, command: Command) => {
      const client = await connect(configFor(command), 'logs', { withEngine: false });
      try {
        const run = await client.getRun(runId);
        let after: string | undefined;
        for (;;) {
          const events = await client.runEvents(run.id, after);
          for (const event of events)
            process.stdout.write(`${options.json ? JSON.stringify(event) : formatEvent(event)}\n`);
          after = events.at(-1)?.id ?? after;
          if (!options.follow || isFinished(await client.getRun(run.id))) {
            if (options.follow)
              for (const event of await client.runEvents(run.id, after))
                process.stdout.write(`${options.json ? JSON.stringify(event) : formatEvent(event)}\n`);
            break;
          }
          await sleep(250);
        }
      } finally {
        await client.close();
      }
    });
}
