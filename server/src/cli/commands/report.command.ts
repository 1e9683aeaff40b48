import type { Command } from 'commander';
import { configFor } from '../cli-options.js';
import { connect } from '../connect.js';
import { CliError } from '../weir-client.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'record that an (external) asset changed; automated downstream assets are evaluated at once by the running Weir',
    )
    .argument('<asset-key>', 'the asset, e.g. vendor/fx_rates')
    .option('--data-version <version>', 'an identifier of the new data (a hash, an ETag, a file name)')
    .option('--metadata <json>', 'a JSON object shown with the observation, e.g. \'{"rows": 1200}\'')
    .addHelpText(
      'after',
      "\nAgainst a running weir dev this sends the data directory's cli-token, or WEIR_API_TOKEN (operator or admin) when set.",
    )
    .action(async (assetKey: string, options: { dataVersion?: string; metadata?: string }, command: Command) => {
      let metadata: Record<string, unknown> | undefined;
      if (options.metadata !== undefined) {
        try {
          metadata = JSON.parse(options.metadata) as Record<string, unknown>;
        } catch (error) {
          throw new CliError(`--metadata is not valid JSON: ${(error as Error).message}`);
        }
        if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
          throw new CliError('--metadata must be a JSON object');
      }
      const client = await connect(configFor(command), 'report', { withEngine: true });
      try {
        const result = await client.reportEvent(assetKey, { dataVersion: options.dataVersion, metadata });
        const runs = result.runsRequested.length
          ? `; runs requested: ${result.runsRequested.join(', ')}`
          : client.mode === 'local'
            ? '; downstream automation runs when Weir next starts'
            : '';
        process.stdout.write(`observation ${result.observationId} recorded for ${assetKey}${runs}\n`);
      } finally {
        await client.close();
      }
    });
}
