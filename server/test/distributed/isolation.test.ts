import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventView } from '../../src/storage/event-log.js';
import { DistributedCluster } from '../support/distributed-cluster.js';
import { waitFor } from '../support/engine-harness.js';
import { runAttempts } from '../support/run-attempts.js';

const PROJECT = fileURLToPath(new URL('../fixtures/isolation-project/index.ts', import.meta.url));

// A CPU-bound step used to starve its worker's heartbeats: declared lost while still running,
// it ran a second time. Its isolate now computes on a thread of its own.
describe('a distributed worker running a CPU-bound step', () => {
  const cluster = new DistributedCluster(PROJECT, {
    WEIR_LOST_AFTER: '5s',
    WEIR_HEARTBEAT_INTERVAL: '1s',
    WEIR_TEST_BUSY_SECONDS: '20',
    WEIR_CANCEL_GRACE: '1s',
  });
  beforeAll(() => cluster.start(), 60_000);
  afterAll(() => cluster.close());

  it('keeps heartbeating: the step runs once, succeeds, and is never declared lost', async () => {
    const worker = await cluster.startWorker(1);
    const run = await cluster.requestRun('iso/busy');
    const view = await cluster.waitForRun(run.id, 90_000);
    expect(view.status).toBe('succeeded');
    const attempts = await runAttempts(cluster.api, run.id, cluster.token);
    expect(attempts.map((attempt) => attempt.status)).toEqual(['SUCCEEDED']);
    const events = (await (await cluster.fetch(`/api/runs/${run.id}/events`)).json()) as EventView[];
    expect(events.filter((event) => /lost/.test(event.type) || /\blost\b/.test(event.message))).toEqual([]);
    expect(events.filter((event) => event.type === 'step.started')).toHaveLength(1);
    expect(worker.child.exitCode).toBeNull();
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 120_000);

  it('on SIGTERM, terminates a step that ignores its signal after the grace periods and exits', async () => {
    const worker = await cluster.startWorker(1);
    const run = await cluster.requestRun('iso/stubborn');
    await waitFor(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return (await cluster.run(run.id)).steps[0]!.status === 'running';
    }, 'the stubborn step to start');
    worker.child.kill('SIGTERM');
    // Without termination the worker would wait for the 60 s busy loop.
    expect(await worker.exited).toBe(0);
    const [attempt] = await runAttempts(cluster.api, run.id, cluster.token);
    expect(attempt!.status, worker.output()).toBe('FAILED');
    expect(attempt!.errorKind).toBe('canceled');
    expect(attempt!.errorMessage).toContain('Weir is shutting down');
  }, 120_000);
});
