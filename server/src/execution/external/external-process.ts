import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { AssetLogger, MetadataValue } from '../../sdk/context.js';
import { ExternalProcessError, type ExecOptions, type ExecResult, type ReportedCheck } from '../../sdk/exec.js';
import { defaultKillGraceMs, execEnvironment, type ExecStep } from './exec-environment.js';
import { LineSplitter } from './line-splitter.js';
import { parsePipesMessage, PIPES_FD, PIPES_PREFIX, progressLine, type PipesMessage } from './pipes-protocol.js';

/** Where what the process reports goes: the step's log, metadata and check results. */
export interface ExecSinks {
  readonly log: AssetLogger;
  /** `ctx.signal`: aborting it terminates the process group. */
  readonly signal: AbortSignal;
  /** Adds reported metadata to the materialization's. */
  metadata(values: Record<string, MetadataValue>): void;
  /** Records a reported check with the materialization's check results. */
  check(check: ReportedCheck): void;
}

const STDERR_TAIL_LINES = 20;
// A grandchild that outlives the process may hold its pipes open forever: stop reading then.
const DRAIN_AFTER_EXIT_MS = 1_000;

/**
 * Runs `command args` for a step (see `AssetContext.exec`): in its own process group, so that a
 * cancel reaches the children it started too; stdout and stderr lines go to the step's log as
 * they come; protocol messages (on fd 3 or prefixed) go to the sinks.
 */
export function runExternalProcess(
  step: ExecStep,
  sinks: ExecSinks,
  command: string,
  args: readonly string[] = [],
  options: ExecOptions = {},
): Promise<ExecResult> {
  if (typeof command !== 'string' || command.trim() === '') {
    return Promise.reject(
      new TypeError(`ctx.exec: the command must be a non-empty string (got ${JSON.stringify(command)})`),
    );
  }
  const badArg = Array.isArray(args) ? args.findIndex((arg) => typeof arg !== 'string') : -2;
  if (badArg !== -1) {
    return Promise.reject(
      new TypeError(
        badArg === -2
          ? `ctx.exec('${command}'): args must be an array of strings`
          : `ctx.exec('${command}'): args[${badArg}] must be a string (got ${typeof args[badArg]})`,
      ),
    );
  }
  const label = describeCommand(command, args);
  if (sinks.signal.aborted) {
    return Promise.reject(
      new ExternalProcessError(`${label} was not started: ${reasonOf(sinks.signal)}`, command, null, null, []),
    );
  }
  return new Promise<ExecResult>((resolve, reject) => {
    const startedAt = Date.now();
    const metadata: Record<string, MetadataValue> = {};
    const checks: ReportedCheck[] = [];
    const stderrTail: string[] = [];
    const graceMs = options.killGraceMs ?? defaultKillGraceMs();
    let aborted = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

    const child = spawn(command, args, {
      cwd: options.cwd,
      env: execEnvironment(step, options.env),
      // stdin closed: a process waiting for input must not hang the step. Fd 3 is the message pipe.
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      // Its own process group: kill(-pid) then reaches every process it starts.
      detached: true,
    });

    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // ESRCH: the whole group is gone already.
      }
    };
    const onAbort = () => {
      aborted = true;
      sinks.log.warn(
        `${label}: stopping it and its children (SIGTERM, SIGKILL after ${graceMs} ms): ${reasonOf(sinks.signal)}`,
      );
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), graceMs);
    };
    sinks.signal.addEventListener('abort', onAbort, { once: true });

    const apply = (message: PipesMessage) => {
      if (message.type === 'log') sinks.log[message.level](message.message, message.fields);
      else if (message.type === 'progress') {
        sinks.log.info(progressLine(message), {
          progress: message.done,
          ...(message.total ? { total: message.total } : {}),
        });
      } else if (message.type === 'metadata') {
        Object.assign(metadata, message.values);
        sinks.metadata(message.values);
      } else {
        // Reported again under the same name (a retry loop in the script): the last verdict counts.
        const index = checks.findIndex((check) => check.name === message.check.name);
        if (index === -1) checks.push(message.check);
        else checks[index] = message.check;
        sinks.check(message.check);
      }
    };
    const receive = (line: string, where: string) => {
      if (line.trim() === '') return;
      const message = parsePipesMessage(line);
      if (typeof message === 'string') {
        sinks.log.warn(`${label}: ignored a message on ${where}: ${message}: ${line.slice(0, 200)}`);
      } else apply(message);
    };
    const output = (stream: 'stdout' | 'stderr') => (line: string) => {
      if (line.startsWith(PIPES_PREFIX)) return receive(line.slice(PIPES_PREFIX.length), stream);
      if (stream === 'stderr') {
        stderrTail.push(line);
        if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
        sinks.log.info(line, { stream });
      } else sinks.log.info(line);
    };
    const splitters = [
      read(child.stdout, output('stdout')),
      read(child.stderr, output('stderr')),
      read(child.stdio[PIPES_FD] as Readable | null, (line) => receive(line, `fd ${PIPES_FD}`)),
    ];

    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      sinks.signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      clearTimeout(drainTimer);
      for (const splitter of splitters) splitter?.end();
      if (error) {
        const message = `${label} could not be started: ${error.message}${(error as NodeJS.ErrnoException).code === 'ENOENT' ? ` (is '${command}' installed and on the PATH${options.cwd ? `, or relative to ${options.cwd}` : ''}?)` : ''}`;
        return reject(new ExternalProcessError(message, command, null, null, []));
      }
      const { code, signal } = exit!;
      if (!aborted && code === 0) {
        return resolve({ exitCode: 0, metadata, checks, durationMs: Date.now() - startedAt });
      }
      const how = aborted
        ? `was stopped (${reasonOf(sinks.signal)})`
        : code !== null
          ? `exited with code ${code}`
          : `was killed by ${signal}`;
      const tail = stderrTail.length
        ? `; last lines of stderr:\n${stderrTail.join('\n')}`
        : '; it wrote nothing to stderr';
      reject(new ExternalProcessError(`${label} ${how}${tail}`, command, code, signal, [...stderrTail]));
    };

    child.on('error', (error) => {
      // Also emitted when a kill fails; only a failure to start ends the call.
      if (child.pid === undefined) finish(error);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // Children that outlive a stopped process are killed now, not left to run.
      if (aborted) killGroup('SIGKILL');
      drainTimer = setTimeout(() => {
        for (const stream of [child.stdout, child.stderr, child.stdio[PIPES_FD]])
          (stream as Readable | null)?.destroy();
        finish();
      }, DRAIN_AFTER_EXIT_MS);
    });
    child.on('close', (code, signal) => {
      // A process that never started closes too; its 'error' ends the call.
      if (child.pid === undefined) return;
      exit ??= { code, signal };
      finish();
    });
  });
}

function read(stream: Readable | null | undefined, onLine: (line: string) => void): LineSplitter | undefined {
  if (!stream) return undefined;
  const splitter = new LineSplitter(onLine);
  stream.on('data', (chunk: Buffer) => splitter.push(chunk));
  // A destroyed pipe reports an error; the exit code says what happened.
  stream.on('error', () => {});
  return splitter;
}

function describeCommand(command: string, args: readonly string[]): string {
  const text = [command, ...args].map((part) => (/^[\w./:=@%+-]+$/.test(part) ? part : JSON.stringify(part))).join(' ');
  return `command '${text.length > 200 ? `${text.slice(0, 197)}...` : text}'`;
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason ?? 'aborted');
}
