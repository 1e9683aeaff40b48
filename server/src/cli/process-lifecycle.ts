import { dim } from './render/format.js';

/** A logger for long-running commands: one timestamped line per call. */
export function timestampedLog(): (line: string) => void {
  return (line) => process.stdout.write(`${dim(new Date().toISOString().slice(11, 19))} ${line}\n`);
}

/**
 * Keeps a long-running command alive until SIGINT or SIGTERM, then runs `close` once and
 * exits 0 (1 if closing failed).
 */
export async function onShutdown(log: (line: string) => void, close: () => Promise<void>): Promise<never> {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: finishing running steps and stopping`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('weir: shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return new Promise<never>(() => {});
}
