// HEALTHCHECK of the Weir image (node only: the slim base image has no curl).
//
// The container runs `node server/bin/weir.js <command> [flags]` (possibly under an init such as
// `docker run --init`). `weir server` and `weir dev` serve GET /healthz (liveness: `ok`, nothing
// else; readiness is /readyz): the check asks it, on the port and address the command listens
// on. Other commands (`weir worker`) serve no HTTP: the check passes while the process runs; a
// dead worker ends the container, and the attempts it held are declared lost from their
// heartbeats.
//
// Usage: node healthcheck.mjs [cmdline file]. The file defaults to /proc/1/cmdline (NUL-separated
// arguments of the container's main process); tests pass another one.
import { readFileSync } from 'node:fs';

const HTTP_COMMANDS = new Set(['server', 'dev']);
// Global flags that take a value (server/src/cli/cli-options.ts): skipped to find the command.
const GLOBAL_FLAGS_WITH_VALUE = new Set(['-p', '--project', '-d', '--data-dir']);

/** The arguments after `weir.js` of the container's main process, or undefined when unknown. */
function weirArguments(cmdlineFile) {
  try {
    const argv = readFileSync(cmdlineFile, 'utf8').split('\0').filter(Boolean);
    const script = argv.findIndex((arg) => arg.endsWith('weir.js') || arg.endsWith('/weir'));
    return script === -1 ? undefined : argv.slice(script + 1);
  } catch {
    return undefined;
  }
}

/** The value of `--name value` or `--name=value` in args. */
function flag(args, name) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
  }
  return undefined;
}

function commandOf(args) {
  for (let i = 0; i < args.length; i++) {
    if (GLOBAL_FLAGS_WITH_VALUE.has(args[i])) i++;
    else if (!args[i].startsWith('-')) return args[i];
  }
  return undefined;
}

const args = weirArguments(process.argv[2] || '/proc/1/cmdline');
if (args && !HTTP_COMMANDS.has(commandOf(args) ?? '')) process.exit(0);

const port = (args && flag(args, '--port')) || process.env.WEIR_PORT || '3000';
const listen = (args && flag(args, '--host')) || process.env.WEIR_HOST || '';
const wildcard = ['', '0.0.0.0', '::', '[::]'].includes(listen);
const host = wildcard ? '127.0.0.1' : listen.includes(':') && !listen.startsWith('[') ? `[${listen}]` : listen;
const url = `http://${host}:${port}/healthz`;

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(4000) });
  if (!response.ok) {
    console.error(`${url} answered ${response.status}`);
    process.exit(1);
  }
} catch (error) {
  console.error(`${url}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
