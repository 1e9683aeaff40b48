import type { Command } from 'commander';
import { openWeir } from '../../engine/open-weir.js';
import { loadProject } from '../../project/project-loader.js';
import { configFor } from '../cli-options.js';
import { bold } from '../render/format.js';
import { CliError } from '../weir-client.js';
import { onShutdown, timestampedLog } from '../process-lifecycle.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run queued steps of a distributed deployment (start as many as you like, on any machine)')
    .option('-c, --concurrency <n>', 'steps this worker runs at once (env WEIR_CONCURRENCY, default: CPU count)')
    .action(async (options: { concurrency?: string }, command: Command) => {
      const config = configFor(
        command,
        options.concurrency === undefined ? {} : { concurrency: Number(options.concurrency) },
      );
      if (!Number.isInteger(config.concurrency) || config.concurrency < 1) {
        throw new CliError(`--concurrency must be a positive integer (got ${options.concurrency})`);
      }
      const log = timestampedLog();
      const project = await loadProject(config.projectPath);
      const weir = await openWeir(config, project.graph, { role: 'worker', entry: project.entry });
      log(
        `${bold('Weir worker')} ${weir.engine.workerId} · ${project.graph.keys.length} assets · ${config.concurrency} at a time · queue ${config.queue?.kind}`,
      );
      // SIGTERM: running steps get a grace period, then ctx.signal aborts them; what is still
      // running after that is declared lost by its stopped heartbeat and retried elsewhere.
      await onShutdown(log, () => weir.close());
    });
}
