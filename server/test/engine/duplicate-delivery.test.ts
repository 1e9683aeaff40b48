import { afterEach, describe, expect, it } from 'vitest';
import { StepRunner } from '../../src/execution/step-runner.js';
import { asset } from '../../src/sdk/asset.js';
import { systemClock } from '../../src/runs/clock.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startEngine, waitFor, type EngineHarness } from '../support/engine-harness.js';

describe.each(STORAGE_BACKENDS)('a step job delivered more than once (%s)', (backend) => {
  let harness: EngineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('materializes once: deliveries while running and after success are ignored', async () => {
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const blocked = asset({
      key: 'dup/blocked',
      materialize: async () => {
        calls++;
        await gate;
        return { ok: true };
      },
    });
    harness = await startEngine(backend, [blocked]);
    const run = await harness.engine.requestRun({ selection: '*', trigger: 'manual' });
    const stepId = run.steps[0]!.id;
    await waitFor(async () => calls === 1, 'the first delivery to start');

    // A second worker receives the same job (an at-least-once queue redelivering it).
    const otherWorker = new StepRunner({
      dataSource: harness.database.dataSource,
      objectStore: harness.store,
      graph: () => harness!.engine.graph,
      inlineLimit: 65536,
      retryDefaults: { maxAttempts: 1 },
      clock: systemClock,
      workerId: 'other-worker',
      sandbox: harness.engine.sandbox,
    });
    const [whileRunning, alsoWhileRunning] = await Promise.all([
      otherWorker.run({ runId: run.id, stepId, attempt: 1 }),
      otherWorker.run({ runId: run.id, stepId, attempt: 1 }),
    ]);
    expect(whileRunning.kind).toBe('ignored');
    expect(alsoWhileRunning.kind).toBe('ignored');

    release();
    const final = await harness.engine.waitForRun(run.id);
    expect(final.status).toBe('succeeded');
    const afterSuccess = await otherWorker.run({ runId: run.id, stepId, attempt: 1 });
    expect(afterSuccess.kind).toBe('ignored');

    expect(calls).toBe(1);
    expect(await harness.count('materializations')).toBe(1);
    expect(await harness.count('attempts')).toBe(1);
  });
});
