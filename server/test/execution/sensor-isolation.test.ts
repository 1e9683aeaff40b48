import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IsolateFailure } from '../../src/execution/isolate/isolate-failure.js';
import type { WorkerPoolSandbox } from '../../src/execution/isolate/worker-pool-sandbox.js';
import { sandboxSensorEvaluator } from '../../src/execution/isolate/sandbox-sensor-evaluator.js';
import type { LoadedProject } from '../../src/project/project-loader.js';
import { warmSandbox } from '../support/warm-sandbox.js';

const PROJECT = fileURLToPath(new URL('../fixtures/sensor-isolation-project/index.ts', import.meta.url));

// Sensors run in the isolates too: one that exits or hangs fails its evaluation only.
describe('sensors evaluated in isolates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-sensor-isolation-'));
  let project: LoadedProject;
  let sandbox: WorkerPoolSandbox;

  beforeAll(async () => {
    ({ project, sandbox } = await warmSandbox(PROJECT, dir, { sensorTimeoutMs: 1_000 }));
  }, 60_000);

  afterAll(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const evaluate = (name: string, cursor?: string) =>
    sandboxSensorEvaluator(sandbox)(
      project.sensors.find((sensor) => sensor.name === name)!,
      cursor,
      new AbortController().signal,
    );

  it('returns what the sensor found, with its cursor', async () => {
    expect(await evaluate('counts', '4')).toEqual({
      cursor: '5',
      observations: [{ assetKey: 'sensed/external', dataVersion: 'v4' }],
    });
  });

  it('fails an evaluation that calls process.exit(), and the next one runs in a fresh isolate', async () => {
    const failure = await evaluate('exits').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe(
      'sensor exits crashed: its isolate exited with code 5 (process.exit() was called)',
    );
    expect((await evaluate('counts')).cursor).toBe('1');
  });

  it('stops an evaluation that never returns at the sensor time limit', async () => {
    const task = sandbox.runSensor('hangs', undefined, { log: () => {}, checkpoint: async () => {} });
    const failure = await task.outcome.catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IsolateFailure);
    expect((failure as IsolateFailure).kind).toBe('timeout');
    expect((failure as IsolateFailure).message).toContain('sensor hangs timed out');
    expect((await evaluate('counts', '9')).cursor).toBe('10');
  });
});
