import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { BackfillRunner } from '../../src/backfills/backfill-runner.js';
import type { BackfillView } from '../../src/backfills/backfill-store.js';
import { asset } from '../../src/sdk/asset.js';
import { dailyPartitions } from '../../src/sdk/partitions.js';
import { NonRetryableError } from '../../src/sdk/retry.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startEngine, waitFor, type EngineHarness } from '../support/engine-harness.js';

/** A daily asset that records each call and how many of its steps run at once. */
function dailyAsset(options: { failOn?: string; delayMs?: number } = {}) {
  const calls: string[] = [];
  let running = 0;
  const peak = { value: 0 };
  const days = asset({
    key: 'days',
    partitions: dailyPartitions({ start: '2025-01-01' }),
    materialize: async (ctx) => {
      calls.push(ctx.partition!);
      running++;
      peak.value = Math.max(peak.value, running);
      try {
        await sleep(options.delayMs ?? 20);
        if (ctx.partition === options.failOn) throw new NonRetryableError(`no data for ${ctx.partition}`);
        return { day: ctx.partition };
      } finally {
        running--;
      }
    },
  });
  const plain = asset({ key: 'plain', materialize: () => 1 });
  return { assets: [days, plain], calls, peak };
}

const ended = (view: BackfillView | null) =>
  view && ['succeeded', 'failed', 'canceled'].includes(view.status) ? view : undefined;

describe.each(STORAGE_BACKENDS)('backfills (%s)', (backend) => {
  let harness: EngineHarness | undefined;
  const runners: BackfillRunner[] = [];
  afterEach(async () => {
    for (const runner of runners.splice(0)) runner.stop();
    await harness?.close();
    harness = undefined;
  });

  function runner(): BackfillRunner {
    const created = new BackfillRunner({ engine: harness!.engine, log: () => {} });
    runners.push(created);
    return created;
  }

  it('runs one run per partition, at most maxConcurrentRuns at once, and succeeds', async () => {
    const { assets, calls, peak } = dailyAsset({ delayMs: 40 });
    harness = await startEngine(backend, assets, { concurrency: 8 });
    const backfills = runner();
    await backfills.start();
    const created = await backfills.create({
      selection: 'days',
      partitions: { from: '2025-01-01', to: '2025-01-10' },
      maxConcurrentRuns: 3,
    });
    expect(created.total).toBe(10);
    // Three runs were launched at once (one may already have ended by the time it is read back).
    expect(created.counts.pending).toBeLessThanOrEqual(7);
    expect(created.counts.running).toBeLessThanOrEqual(3);
    const final = await waitFor(async () => ended(await backfills.get(created.id)), 'the backfill to end');
    expect(final.status).toBe('succeeded');
    expect(final.counts).toEqual({ pending: 0, running: 0, succeeded: 10, failed: 0 });
    expect(final.endedAt).not.toBeNull();
    expect(peak.value).toBeLessThanOrEqual(3);
    expect([...calls].sort()).toEqual(final.partitions.map((p) => p.key));
    const runs: Array<{ trigger: string; idempotency_key: string }> = await harness.database.dataSource.query(
      `SELECT trigger, idempotency_key FROM runs ORDER BY idempotency_key`,
    );
    expect(runs).toHaveLength(10);
    expect(runs[0]).toEqual({ trigger: 'backfill', idempotency_key: `backfill:${created.id}:2025-01-01` });
  });

  it('fails when a partition fails, after running the others, and names it', async () => {
    const { assets } = dailyAsset({ failOn: '2025-01-03' });
    harness = await startEngine(backend, assets);
    const backfills = runner();
    await backfills.start();
    const created = await backfills.create({ selection: 'days', partitions: { from: '2025-01-01', to: '2025-01-05' } });
    const final = await waitFor(async () => ended(await backfills.get(created.id)), 'the backfill to end');
    expect(final.status).toBe('failed');
    expect(final.counts).toEqual({ pending: 0, running: 0, succeeded: 4, failed: 1 });
    const failed = final.partitions.filter((p) => p.status === 'failed');
    // The partition's error is its run's first failed step's.
    expect(failed).toEqual([
      { key: '2025-01-03', status: 'failed', runId: expect.any(String), error: 'days: no data for 2025-01-03' },
    ]);
    const run = await harness.engine.getRun(failed[0]!.runId!);
    expect(run!.steps[0]!.error).toBe('no data for 2025-01-03');
  });

  it('resumes an interrupted backfill without running a finished partition again', async () => {
    const { assets, calls } = dailyAsset({ delayMs: 30 });
    harness = await startEngine(backend, assets);
    const first = runner();
    await first.start();
    const created = await first.create({
      selection: 'days',
      partitions: { from: '2025-01-01', to: '2025-01-08' },
      maxConcurrentRuns: 2,
    });
    await waitFor(
      async () => ((await first.get(created.id))!.counts.succeeded >= 3 ? true : undefined),
      '3 partitions',
    );
    first.stop();
    await first.idle();
    // The runs in flight end; nothing new is launched.
    await waitFor(async () => (await harness!.count('runs', `status IN ('queued', 'running')`)) === 0, 'runs to end');
    const before = await first.get(created.id);
    expect(before!.status).toBe('running');
    expect(before!.counts.pending).toBeGreaterThan(0);
    // As if the process had crashed after planning the next partition's run but before recording it.
    const next = before!.partitions.find((p) => p.status === 'pending')!.key;
    await harness.engine.requestRun({
      selection: 'days',
      partitions: [next],
      trigger: 'backfill',
      idempotencyKey: `backfill:${created.id}:${next}`,
    });

    const second = runner();
    await second.start();
    const final = await waitFor(async () => ended(await second.get(created.id)), 'the resumed backfill to end');
    expect(final.status).toBe('succeeded');
    expect(final.counts.succeeded).toBe(8);
    // Every partition was computed exactly once, the one planned "before the crash" included.
    expect([...calls].sort()).toEqual(final.partitions.map((p) => p.key));
    expect(await harness.count('runs')).toBe(8);
  });

  it('refuses selections with unpartitioned assets, and bad ranges, recording nothing', async () => {
    const { assets } = dailyAsset();
    harness = await startEngine(backend, assets);
    const backfills = runner();
    await expect(
      backfills.create({ selection: '*', partitions: { from: '2025-01-01', to: '2025-01-02' } }),
    ).rejects.toThrow(
      'a backfill runs partitions, but plain is not partitioned: materialize it separately and select only partitioned assets',
    );
    await expect(
      backfills.create({ selection: 'days', partitions: { from: '2025-01-01', to: '2025-1-2' } }),
    ).rejects.toThrow("days: --to '2025-1-2' is not a daily partition key: expected YYYY-MM-DD");
    await expect(
      backfills.create({ selection: 'days', partitions: ['2025-01-01'], maxConcurrentRuns: 0 }),
    ).rejects.toThrow(/from 1 to 1000/);
    expect(await harness.count('backfills')).toBe(0);
  });
});
