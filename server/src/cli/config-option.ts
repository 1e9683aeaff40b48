import { readFileSync } from 'node:fs';
import { CliError } from './weir-client.js';

/**
 * The value of `--config`: inline JSON (it starts with `{`) or the path of a JSON file. Only
 * the JSON is checked here; the engine checks it against the assets' schemas.
 */
export function readConfigOption(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  const inline = value.trimStart().startsWith('{');
  let text = value;
  if (!inline) {
    try {
      text = readFileSync(value, 'utf8');
    } catch (error) {
      throw new CliError(
        `--config: cannot read ${value} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give a JSON file or inline JSON such as '{"silver/orders": {"sampleSize": 10}}'`,
      );
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(
      `--config: ${inline ? 'the inline value' : value} is not valid JSON: ${(error as Error).message}`,
    );
  }
}
