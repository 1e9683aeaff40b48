import type { Command } from 'commander';
import { loadConfig, type WeirConfig } from '../config/weir-config.js';

/** Flags every command accepts; each overrides its environment variable. */
export function addGlobalOptions(program: Command): Command {
  return program
    .option('-p, --project <path>', 'asset module to load (env WEIR_PROJECT, default ./assets)')
    .option('-d, --data-dir <path>', 'embedded data directory (env WEIR_DATA_DIR, default ./.weir)');
}

/** The configuration for a command: environment variables, overridden by flags. */
export function configFor(command: Command, extra: Partial<WeirConfig> = {}): WeirConfig {
  const options = command.optsWithGlobals<{ project?: string; dataDir?: string }>();
  return loadConfig(process.env, { projectPath: options.project, dataDir: options.dataDir, ...extra });
}
