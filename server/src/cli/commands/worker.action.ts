import type { Command } from 'commander';
import { openWeir } from '../../engine/open-weir.js';
import { loadProject } from '../../project/project-loader.js';
import { configFor } from '../cli-options.js';
import { bold } from '../render/format.js';
import { CliError } from '../weir-client.js';
import { onShutdown, timestampedLog } from '../process-lifecycle.js';

/** The `weir worker` command's work, imported only when it runs (the CLI starts without it). */
export async function runWorker(options: { concurrency?: string }, command: Command): Promise<void> {
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
}
