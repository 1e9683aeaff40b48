import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunView } from '../../src/runs/run-queries.js';
import type { EventView } from '../../src/storage/event-log.js';
import { createPostgresDatabase, dropPostgresDatabase } from '../support/databases.js';
import { waitFor } from '../support/engine-harness.js';
import { isRunning, readPidFile, waitUntilGone } from '../support/process-probe.js';
import { killHard, runWeir, spawnWeir, waitForApi, type WeirProcess } from '../support/weir-process.js';

const PROJECT = fileURLToPath(new URL('../fixtures/exec-project/index.ts', import.meta.url));
// Inside the range this suite's processes may listen on.
const PORT = '47117';

// The acceptance of ctx.exec: a real `weir dev` (PostgreSQL), the fixture's assets loaded in
// isolates, real python3 scripts importing plugins/weir-pipes-python/weir_pipes.py, and the CLI
// a user would type (`weir materialize`, `weir logs`, `weir cancel`).
describe('external processes (ctx.exec) through weir dev, python3 and the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-exec-'));
  const dataDir = join(dir, '.weir');
  let databaseUrl: string;
  let dev: WeirProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    databaseUrl = await createPostgresDatabase();
    env = {
      WEIR_PROJECT: PROJECT,
      WEIR_DATA_DIR: dataDir,
      WEIR_DATABASE_URL: databaseUrl,
      WEIR_TEST_DIR: dir,
    };
    dev = spawnWeir(['dev', '--port', PORT, '--no-watch'], env);
    await waitForApi(dataDir, dev);
  }, 120_000);
  afterAll(async () => {
    if (dev && dev.child.exitCode === null) await killHard(dev);
    if (databaseUrl) await dropPostgresDatabase(databaseUrl);
    rmSync(dir, { recursive: true, force: true });
  });

  async function materialize(args: readonly string[]): Promise<{ code: number | string; run: RunView }> {
    const result = await runWeir(['materialize', ...args, '--json'], env);
    let run: RunView;
    try {
      run = JSON.parse(result.output) as RunView;
    } catch {
      throw new Error(`weir materialize did not print a run (exit ${result.code}):\n${result.output}`);
    }
    return { code: result.code, run };
  }

  async function logs(runId: string): Promise<EventView[]> {
    const result = await runWeir(['logs', runId, '--json'], env);
    expect(result.code, result.output).toBe(0);
    return result.output
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as EventView);
  }

  async function runningPids(name: string): Promise<number[]> {
    const pids = await readPidFile(join(dir, `${name}.pids`));
    // Both run before the stop: what follows shows the stop killed them.
    expect(pids.map(isRunning)).toEqual([true, true]);
    return pids;
  }

  it('reports metadata and checks through the helper, gets the run, step, partition and config, and its lines reach weir logs in order', async () => {
    const { code, run } = await materialize([
      'exec/report',
      '--partitions',
      '2025-01-02',
      '--config',
      '{"exec/report": {"label": "nightly"}}',
    ]);
    expect(code, JSON.stringify(run, null, 2)).toBe(0);
    const step = run.steps[0]!;
    expect(step.status).toBe('succeeded');
    // Stored with the materialization: what the script read from its environment.
    expect(step.output!.metadata).toEqual({
      rows: 3,
      run_id: run.id,
      step_id: step.id,
      attempt: 1,
      asset_key: 'exec/report',
      partition: '2025-01-02',
      label: 'nightly',
    });
    expect(step.checks).toEqual([
      { name: 'rows positive', severity: 'error', passed: true, message: '3 rows' },
      { name: 'few nulls', severity: 'warn', passed: false, message: '2 nulls' },
    ]);

    const events = await logs(run.id);
    const lines = events.filter((event) => event.type === 'log' && event.stepId === step.id);
    const stdout = lines.filter((event) => event.message.startsWith('stdout line'));
    const stderr = lines.filter((event) => event.message.startsWith('stderr line'));
    expect(stdout.map((event) => [event.message, event.data])).toEqual(
      [1, 2, 3, 4, 5].map((i) => [`stdout line ${i}`, {}]),
    );
    expect(stderr.map((event) => [event.message, event.data])).toEqual(
      [1, 2, 3, 4, 5].map((i) => [`stderr line ${i}`, { stream: 'stderr' }]),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'structured from python', data: { table: 'orders' } }),
    );
    expect(lines.map((event) => event.message)).toContain('progress 2/4 (50%): halfway');
    // Nothing of the protocol leaked into the log as text.
    expect(lines.filter((event) => /"type"|@@weir/.test(event.message))).toEqual([]);
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['check.passed', 'check.warned']));

    // The text form a user reads shows them too.
    const text = await runWeir(['logs', run.id.slice(0, 8)], env);
    expect(text.output).toMatch(/exec\/report \[log\] stdout line 1\n/);
    expect(text.output).toContain('stderr line 5 {"stream":"stderr"}');
  });

  it('a failed error-severity check reported by the script fails the step', async () => {
    const { code, run } = await materialize(['exec/blocking']);
    expect(code).toBe(1);
    const step = run.steps[0]!;
    expect(step.status).toBe('failed');
    expect(step.error).toContain("check 'no nulls' failed: 4 nulls in customer_id");
    expect(step.checks).toEqual([
      { name: 'no nulls', severity: 'error', passed: false, message: '4 nulls in customer_id' },
    ]);
  });

  it('a reported check named like a declared one fails the step, naming it', async () => {
    const { code, run } = await materialize(['exec/clash']);
    expect(code).toBe(1);
    const step = run.steps[0]!;
    expect(step.status).toBe('failed');
    expect(step.error).toContain(
      "an external process reported check 'rows positive', which asset 'exec/clash' also declares",
    );
  });

  it('exit 1 fails the attempt, with the last 20 lines of stderr in the error', async () => {
    const { code, run } = await materialize(['exec/failing']);
    expect(code).toBe(1);
    expect(run.status).toBe('failed');
    const step = run.steps[0]!;
    expect([step.status, step.attempts]).toEqual(['failed', 1]);
    expect(step.error).toMatch(/command 'python3 \S*failing\.py' exited with code 1; last lines of stderr:\n/);
    const tail = step.error!.slice(step.error!.indexOf('last lines of stderr:\n'));
    expect(tail).toContain(Array.from({ length: 20 }, (_, i) => `failure detail ${i + 6}`).join('\n'));
    expect(tail).not.toMatch(/failure detail 5\n/);
    // The log has every line, the earliest too.
    const messages = (await logs(run.id)).map((event) => event.message);
    expect(messages).toContain('about to fail');
    expect(messages.filter((message) => message.startsWith('failure detail '))).toEqual(
      Array.from({ length: 25 }, (_, i) => `failure detail ${i + 1}`),
    );
  });

  it('weir cancel kills the script and the child process it started', async () => {
    const started = await runWeir(['materialize', 'exec/sleepy', '--no-wait'], env);
    expect(started.code, started.output).toBe(0);
    const runId = started.output.trim().split('\n').at(-1)!;
    const pids = await runningPids('sleepy');

    const cancel = await runWeir(['cancel', runId], env);
    expect(cancel.code, cancel.output).toBe(0);
    await waitUntilGone(pids);
    const run = await waitFor(async () => {
      const view = JSON.parse((await runWeir(['runs', '--json'], env)).output) as RunView[];
      const found = view.find((candidate) => candidate.id === runId);
      return found && found.status !== 'canceling' && found.status !== 'running' ? found : undefined;
    }, 'the run to end');
    expect(run.status).toBe('canceled');
    const messages = (await logs(runId)).map((event) => event.message);
    expect(messages).toContain('sleeping');
    expect(messages.some((message) => /stopping it and its children \(SIGTERM, SIGKILL after/.test(message))).toBe(
      true,
    );
  });

  it('a step timeout kills the script and its child too', async () => {
    const materializing = materialize(['exec/times_out']);
    const pids = await runningPids('times_out');
    const { code, run } = await materializing;
    expect(code).toBe(1);
    const step = run.steps[0]!;
    expect(step.status).toBe('failed');
    expect(step.error).toContain('timed out');
    await waitUntilGone(pids);
  });
});
