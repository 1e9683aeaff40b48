import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogFields, MetadataValue } from '../../sdk/context.js';
import { ExternalProcessError, type ReportedCheck } from '../../sdk/exec.js';
import type { ExecStep } from './exec-environment.js';
import { runExternalProcess } from './external-process.js';
import { isRunning, readPidFile, waitUntilGone } from '../../../test/support/process-probe.js';

const HELPER_DIR = fileURLToPath(new URL('../../../../plugins/weir-pipes-python', import.meta.url));

const STEP: ExecStep = {
  assetKey: 'test/exec',
  runId: 'run-1',
  stepId: 'step-1',
  attemptId: 'attempt-1',
  attemptNumber: 2,
  partition: '2025-01-02',
  config: { label: 'nightly' },
};

// Real processes, real pipes; only the step's log and result are collected in memory.
function sinks(signal = new AbortController().signal) {
  const lines: Array<{ level: string; message: string; fields: LogFields | undefined }> = [];
  const metadata: Record<string, MetadataValue> = {};
  const checks: ReportedCheck[] = [];
  const logAt = (level: string) => (message: string, fields?: LogFields) => lines.push({ level, message, fields });
  return {
    lines,
    metadata,
    checks,
    sinks: {
      log: { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') },
      signal,
      metadata: (values: Record<string, MetadataValue>) => Object.assign(metadata, values),
      check: (check: ReportedCheck) => checks.push(check),
    },
  };
}

const python = (code: string) => ['-c', code] as const;
const withHelper = { env: { PYTHONPATH: HELPER_DIR } };

describe('runExternalProcess', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-exec-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the step in the environment and reads metadata, checks, log and progress from fd 3', async () => {
    const out = sinks();
    const result = await runExternalProcess(
      STEP,
      out.sinks,
      'python3',
      python(`
import os, weir_pipes
c = weir_pipes.context()
weir_pipes.report_metadata(run=c["run_id"], step=c["step_id"], attempt=c["attempt_number"], partition=c["partition"], label=c["config"]["label"], extra=os.environ["EXTRA"], unbuffered=os.environ.get("PYTHONUNBUFFERED"))
weir_pipes.report_check("rows", True, "3 rows", metadata={"rows": 3})
weir_pipes.report_check("soft", False, severity="warn")
weir_pipes.log("structured", level="warn", table="orders")
weir_pipes.progress(1, 4, "loading")
print("plain stdout")
`),
      { env: { ...withHelper.env, EXTRA: 'yes' } },
    );
    expect(result.exitCode).toBe(0);
    expect(result.metadata).toEqual({
      run: 'run-1',
      step: 'step-1',
      attempt: 2,
      partition: '2025-01-02',
      label: 'nightly',
      extra: 'yes',
      unbuffered: '1',
    });
    expect(out.metadata).toEqual(result.metadata);
    expect(result.checks).toEqual([
      { name: 'rows', passed: true, severity: 'error', message: '3 rows', metadata: { rows: 3 } },
      { name: 'soft', passed: false, severity: 'warn', message: null, metadata: {} },
    ]);
    // Fd 3 and stdout are two pipes: order is kept within each, not between them.
    const piped = out.lines.filter((line) => line.message !== 'plain stdout');
    expect(piped).toEqual([
      { level: 'warn', message: 'structured', fields: { table: 'orders' } },
      { level: 'info', message: 'progress 1/4 (25%): loading', fields: { progress: 1, total: 4 } },
    ]);
    expect(out.lines).toHaveLength(3);
    expect(out.lines).toContainEqual({ level: 'info', message: 'plain stdout', fields: undefined });
  });

  it('falls back to @@weir lines on stderr when fd 3 is closed, and warns about a malformed message', async () => {
    const out = sinks();
    const result = await runExternalProcess(
      { ...STEP, partition: undefined, config: undefined },
      out.sinks,
      'python3',
      python(`
import os, sys
os.close(3)
import weir_pipes
weir_pipes.report_metadata(rows=7, partition=str(os.environ.get("WEIR_PARTITION")), config=str(os.environ.get("WEIR_CONFIG")))
sys.stdout.write("@@weir {broken\\n")
sys.stderr.write("a real stderr line\\n")
`),
      withHelper,
    );
    expect(result.metadata).toEqual({ rows: 7, partition: 'None', config: 'None' });
    // Stdout and stderr are two pipes: no order between them.
    expect(out.lines).toHaveLength(2);
    expect(out.lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'warn',
          message: expect.stringContaining('ignored a message on stdout: not a JSON object: {broken'),
        }),
        { level: 'info', message: 'a real stderr line', fields: { stream: 'stderr' } },
      ]),
    );
  });

  it('a non-zero exit rejects with the exit code and the last 20 lines of stderr', async () => {
    const out = sinks();
    const failing = runExternalProcess(
      STEP,
      out.sinks,
      'python3',
      python(`
import sys
for i in range(1, 26): print(f"problem {i}", file=sys.stderr)
sys.exit(3)
`),
    );
    const error = (await failing.catch((e: unknown) => e)) as ExternalProcessError;
    expect(error).toBeInstanceOf(ExternalProcessError);
    expect(error.exitCode).toBe(3);
    expect(error.stderrTail).toEqual(Array.from({ length: 20 }, (_, i) => `problem ${i + 6}`));
    expect(error.message).toMatch(/^command 'python3 -c .*' exited with code 3; last lines of stderr:\nproblem 6\n/);
    expect(error.message).toContain('problem 25');
    expect(error.message).not.toContain('problem 5\n');
    // Every line still reached the log, in order.
    expect(out.lines.map((line) => line.message)).toEqual(Array.from({ length: 25 }, (_, i) => `problem ${i + 1}`));
  });

  it('a command that is not installed rejects saying so', async () => {
    const error = (await runExternalProcess(STEP, sinks().sinks, 'weir-no-such-program').catch(
      (e: unknown) => e,
    )) as ExternalProcessError;
    expect(error).toBeInstanceOf(ExternalProcessError);
    expect(error.exitCode).toBeNull();
    expect(error.message).toContain("is 'weir-no-such-program' installed and on the PATH?");
  });

  it('rejects bad arguments and an already aborted signal without starting anything', async () => {
    await expect(runExternalProcess(STEP, sinks().sinks, '  ')).rejects.toThrow('must be a non-empty string');
    await expect(runExternalProcess(STEP, sinks().sinks, 'true', [1 as never])).rejects.toThrow(
      'args[0] must be a string (got number)',
    );
    const controller = new AbortController();
    controller.abort(new Error('run canceled'));
    await expect(runExternalProcess(STEP, sinks(controller.signal).sinks, 'true')).rejects.toThrow(
      "command 'true' was not started: run canceled",
    );
  });

  it('an abort kills the process and the child it started, even one that ignores SIGTERM', async () => {
    const pids = join(dir, 'abort.pids');
    const controller = new AbortController();
    const out = sinks(controller.signal);
    const running = runExternalProcess(
      STEP,
      out.sinks,
      'python3',
      python(`
import os, signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen([sys.executable, "-c", "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)"])
with open(sys.argv[1] + ".tmp", "w") as f: f.write(f"{os.getpid()} {child.pid}")
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
print("waiting", flush=True)
time.sleep(600)
`).concat(pids),
      { killGraceMs: 200 },
    );
    const [parent, child] = (await readPidFile(pids)) as [number, number];
    expect([isRunning(parent), isRunning(child)]).toEqual([true, true]);
    controller.abort(new Error('run canceled'));
    const error = (await running.catch((e: unknown) => e)) as ExternalProcessError;
    expect(error).toBeInstanceOf(ExternalProcessError);
    expect(error.message).toContain('was stopped (run canceled)');
    expect(error.exitSignal).toBe('SIGKILL');
    expect(isRunning(parent)).toBe(false);
    await waitUntilGone([child]);
    expect(out.lines.map((line) => line.message)).toContain('waiting');
  });
});
