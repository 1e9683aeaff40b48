import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DistributedCluster } from '../support/distributed-cluster.js';
import { waitFor } from '../support/engine-harness.js';

const PROJECT = fileURLToPath(new URL('../fixtures/slow-project/index.ts', import.meta.url));

describe('weir worker on SIGTERM', () => {
  const cluster = new DistributedCluster(PROJECT);
  afterAll(() => cluster.close());

  it('finishes its running step before it exits', async () => {
    await cluster.start();
    const worker = await cluster.startWorker(1);
    const run = await cluster.requestRun('*');
    await waitFor(async () => (await cluster.run(run.id)).steps[0]!.status === 'running', 'the step to start');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('SIGTERM: finishing running steps and stopping');
    const view = await cluster.run(run.id);
    expect(view.status).toBe('succeeded');
    expect(view.steps[0]!.attempts).toBe(1);
  }, 60_000);
});
