import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedReconcileLoop } from '../../src/engine/embedded-reconcile-loop.js';
import type { DispatchOptions, StepJob } from '../../src/execution/executor.port.js';
import { InProcessExecutor } from '../../src/execution/in-process-executor.js';
import { asset } from '../../src/sdk/asset.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startEngine, waitFor, type EngineHarness } from '../support/engine-harness.js';

/** An in-process executor that silently drops the first job it is given (a lost dispatch). */
class DropsFirstJob extends InProcessExecutor {
  dropped: StepJob[] = [];

  override async dispatch(job: StepJob, options?: DispatchOptions): Promise<void> {
    if (this.dropped.length === 0) {
      this.dropped.push(job);
      return;
    }
    return super.dispatch(job, options);
  }
}

describe.each(STORAGE_BACKENDS)('the reconciliation loop of weir dev (%s)', (backend) => {
  let harness: EngineHarness | undefined;
  let loop: EmbeddedReconcileLoop | undefined;
  afterEach(async () => {
    await loop?.stop();
    await harness?.close();
    harness = loop = undefined;
  });

  it('dispatches again a queued step whose job was lost, and the run ends', async () => {
    const calls: string[] = [];
    const source = asset({ key: 'source', materialize: async () => (calls.push('source'), { n: 1 }) });
    const executor = new DropsFirstJob(2);
    harness = await startEngine(backend, [source], { executor });
    const logged: string[] = [];
    loop = new EmbeddedReconcileLoop(harness.engine, {
      intervalMs: 50,
      queuedGraceMs: 200,
      log: (l) => logged.push(l),
    });

    const run = await harness.engine.requestRun({ selection: 'source', trigger: 'manual' });
    expect(executor.dropped.map((job) => job.runId)).toEqual([run.id]);
    expect((await harness.engine.getRun(run.id))!.status).not.toBe('succeeded');

    loop.start();
    const final = await waitFor(
      async () => {
        const view = await harness!.engine.getRun(run.id);
        return view?.status === 'succeeded' ? view : undefined;
      },
      'the run to end once the loop dispatched its step again',
      15_000,
    );
    expect(final.steps.map((step) => step.status)).toEqual(['succeeded']);
    expect(calls).toEqual(['source']);
    expect(logged.some((line) => /1 step\(s\) dispatched again/.test(line))).toBe(true);
  });
});
