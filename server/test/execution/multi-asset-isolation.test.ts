import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerPoolSandbox } from '../../src/execution/isolate/worker-pool-sandbox.js';
import type { StepRequest } from '../../src/execution/isolate/step-sandbox.port.js';
import { warmSandbox } from '../support/warm-sandbox.js';

const PROJECT = fileURLToPath(new URL('../fixtures/multi-asset-project/index.ts', import.meta.url));

// In a real isolate (worker thread), a step with sibling outputs calls the function once.
describe('multi-asset steps in isolates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-multi-isolation-'));
  const calls = join(dir, 'calls.txt');
  let sandbox: WorkerPoolSandbox;

  beforeAll(async () => {
    process.env.WEIR_MULTI_CALLS = calls;
    ({ sandbox } = await warmSandbox(PROJECT, dir));
  }, 60_000);

  afterAll(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const request = (assetKey: string, siblings?: string[]): StepRequest => ({
    assetKey,
    runId: 'run',
    stepId: 'step',
    attemptId: 'attempt',
    attemptNumber: 1,
    partitionKey: '',
    keyPrefix: `runs/run/${assetKey.replace('/', '-')}/attempt`,
    inlineLimit: 64 * 1024,
    inputs: {},
    resume: undefined,
    config: undefined,
    ...(siblings ? { siblings } : {}),
  });
  const run = (req: StepRequest) =>
    sandbox.runStep(req, { log: () => {}, checkpoint: async () => {} }, { timeoutMs: 10_000, memoryBytes: undefined })
      .outcome;

  it('produces the step output and each sibling output from one call, checking each', async () => {
    const result = await run(request('silver/customers', ['silver/orders']));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(readFileSync(calls, 'utf8')).toBe('orders,customers\n');
    expect(result.output.inline).toEqual(['ada', 'bob']);
    expect(result.checks.map((c) => [c.name, c.passed])).toEqual([['two customers', true]]);
    expect(result.siblings).toHaveLength(1);
    expect(result.siblings![0]!.assetKey).toBe('silver/orders');
    expect(result.siblings![0]!.output.inline).toEqual([{ id: 1 }, { id: 2 }]);
    expect(result.siblings![0]!.output.dataVersion).not.toBe(result.output.dataVersion);
  });

  it('runs an output alone with only it wanted', async () => {
    const result = await run(request('silver/orders'));
    expect(result.ok).toBe(true);
    expect(result.ok && result.siblings).toBeUndefined();
    expect(readFileSync(calls, 'utf8').split('\n').at(-2)).toBe('orders');
  });
});
