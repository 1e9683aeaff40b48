import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Executor, StepHandler, StepJob } from '../../src/execution/executor.port.js';
import { waitFor } from './engine-harness.js';

/** An executor under test: `dispatcher` hands jobs over, `startConsumer` runs them. */
export interface ExecutorUnderTest {
  readonly dispatcher: Executor;
  /** Starts a consumer that runs `handler` with at most `concurrency` jobs at once. */
  startConsumer(handler: StepHandler, concurrency: number): Promise<Executor>;
  close(): Promise<void>;
}

const job = (n: number, attempt = 1): StepJob => ({ runId: 'run', stepId: `step-${n}`, attempt });

/**
 * What every executor must do, whatever carries its jobs: the engine relies on exactly this.
 * Timings are never asserted; waits only poll for an outcome.
 */
export function describeExecutorConformance(name: string, create: () => Promise<ExecutorUnderTest>): void {
  describe(`executor conformance: ${name}`, () => {
    let subject: ExecutorUnderTest | undefined;
    afterEach(async () => {
      await subject?.close();
      subject = undefined;
    });

    it('delivers every dispatched job once', async () => {
      subject = await create();
      const seen: string[] = [];
      await subject.startConsumer(async (j) => void seen.push(j.stepId), 4);
      for (let n = 0; n < 50; n++) await subject.dispatcher.dispatch(job(n));
      await waitFor(async () => seen.length >= 50, 'all 50 jobs');
      await sleep(100);
      expect(seen.sort()).toEqual(Array.from({ length: 50 }, (_, n) => `step-${n}`).sort());
    });

    it('delivers a batch dispatched at once, each job once even when listed twice', async () => {
      subject = await create();
      const seen: string[] = [];
      await subject.startConsumer(async (j) => void seen.push(j.stepId), 4);
      const jobs = Array.from({ length: 20 }, (_, n) => job(n));
      await subject.dispatcher.dispatchAll([...jobs, job(0), job(1)]);
      await waitFor(async () => seen.length >= 20, 'the batch');
      await sleep(100);
      expect(seen.sort()).toEqual(jobs.map((j) => j.stepId).sort());
    });

    it('runs at most `concurrency` jobs at once in a consumer', async () => {
      subject = await create();
      let running = 0;
      let max = 0;
      let done = 0;
      await subject.startConsumer(async () => {
        running++;
        max = Math.max(max, running);
        await sleep(20);
        running--;
        done++;
      }, 3);
      for (let n = 0; n < 15; n++) await subject.dispatcher.dispatch(job(n));
      await waitFor(async () => done === 15, 'all jobs to finish');
      expect(max).toBe(3);
    });

    it('collapses a second dispatch of the same step attempt while the first is pending', async () => {
      subject = await create();
      const seen: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      await subject.startConsumer(async (j) => {
        seen.push(`${j.stepId}.${j.attempt}`);
        await gate;
      }, 2);
      await subject.dispatcher.dispatch(job(1));
      await waitFor(async () => seen.length === 1, 'the first delivery');
      expect(await subject.dispatcher.isPending(job(1))).toBe(true);
      await subject.dispatcher.dispatch(job(1));
      // A different attempt of the same step is a different job.
      await subject.dispatcher.dispatch(job(1, 2));
      await waitFor(async () => seen.length === 2, 'the second attempt');
      release();
      await waitFor(async () => !(await subject!.dispatcher.isPending(job(1, 2))), 'the jobs to finish');
      await sleep(100);
      expect(seen).toEqual(['step-1.1', 'step-1.2']);
      expect(await subject.dispatcher.isPending(job(1))).toBe(false);
    });

    it('delivers a delayed job after the jobs dispatched without delay', async () => {
      subject = await create();
      const seen: string[] = [];
      await subject.startConsumer(async (j) => void seen.push(j.stepId), 1);
      // Long enough that the two undelayed jobs are dispatched first on a loaded machine.
      await subject.dispatcher.dispatch(job(1), { delayMs: 2_000 });
      await subject.dispatcher.dispatch(job(2));
      await subject.dispatcher.dispatch(job(3));
      expect(await subject.dispatcher.isPending(job(1))).toBe(true);
      await waitFor(async () => seen.length === 3, 'all three jobs');
      expect(seen).toEqual(['step-2', 'step-3', 'step-1']);
    });

    it('lets running jobs finish when a consumer stops', async () => {
      subject = await create();
      let finished = 0;
      let started = 0;
      const consumer = await subject.startConsumer(async () => {
        started++;
        await sleep(200);
        finished++;
      }, 2);
      await subject.dispatcher.dispatch(job(1));
      await subject.dispatcher.dispatch(job(2));
      await waitFor(async () => started === 2, 'both jobs to start');
      await consumer.stop();
      expect(finished).toBe(2);
    });
  });
}
