import { afterEach, describe, expect, it } from 'vitest';
import { BackfillRunner } from '../../src/backfills/backfill-runner.js';
import type { BackfillView } from '../../src/backfills/backfill-store.js';
import { asset } from '../../src/sdk/asset.js';
import { dailyPartitions } from '../../src/sdk/partitions.js';
import { NonRetryableError } from '../../src/sdk/retry.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startEngine, waitFor, type EngineHarness } from '../support/engine-harness.js';

/** raw → clean, daily; `clean` fails for the days in `broken` until they are removed. */
function project() {
  const calls: string[] = [];
  const broken = new Set<string>();
  const daily = dailyPartitions({ start: '2025-01-01' });
  const raw = asset({
    key: 'raw',
    partitions: daily,
    materialize: (ctx) => (calls.push(`raw ${ctx.partition}`), { day: ctx.partition }),
  });
  const clean = asset({
    key: 'clean',
    deps: { raw },
    partitions: daily,
    materialize: (ctx, { raw: input }) => {
      calls.push(`clean ${ctx.partition}`);
      if (broken.has(ctx.partition!)) throw new NonRetryableError(`bad rows on ${ctx.partition}`);
      return { day: input.day, clean: true };
    },
  });
  return { assets: [raw, clean], calls, broken };
}

const ended = (view: BackfillView | null) =>
  view && ['succeeded', 'failed', 'canceled'].includes(view.status) ? view : undefined;

describe.each(STORAGE_BACKENDS)('retrying the failed partitions of a backfill (%s)', (backend) => {
  let harness: EngineHarness | undefined;
  let backfills: BackfillRunner | undefined;
  afterEach(async () => {
    backfills?.stop();
    await harness?.close();
    harness = backfills = undefined;
  });

  it('runs only the failed partitions again, from their failure, until the backfill succeeds', async () => {
    const { assets, calls, broken } = project();
    broken.add('2025-01-02').add('2025-01-04');
    harness = await startEngine(backend, assets, { concurrency: 4 });
    backfills = new BackfillRunner({ engine: harness.engine, log: () => {} });
    await backfills.start();
    const created = await backfills.create({
      selection: 'raw+',
      partitions: { from: '2025-01-01', to: '2025-01-05' },
      maxConcurrentRuns: 2,
    });
    const failed = await waitFor(async () => ended(await backfills!.get(created.id)), 'the backfill to fail');
    expect(failed).toMatchObject({ status: 'failed', retries: 0 });
    expect(failed.counts).toEqual({ pending: 0, running: 0, succeeded: 3, failed: 2 });
    const firstRuns = new Map(failed.partitions.map((p) => [p.key, p.runId]));

    // Still broken on 01-04: the retry fails again there, and the backfill with it.
    broken.delete('2025-01-02');
    calls.length = 0;
    const retrying = await backfills.retryFailed(created.id);
    expect(retrying.status).toBe('running');
    expect(retrying.retries).toBe(1);
    const second = await waitFor(async () => ended(await backfills!.get(created.id)), 'the first retry to end');
    expect(second).toMatchObject({ status: 'failed', retries: 1 });
    expect(second.counts).toEqual({ pending: 0, running: 0, succeeded: 4, failed: 1 });
    // From failure: `raw` of the retried days succeeded before and is reused, not recomputed.
    expect(calls.sort()).toEqual(['clean 2025-01-02', 'clean 2025-01-04']);
    const byKey = new Map(second.partitions.map((p) => [p.key, p]));
    for (const key of ['2025-01-01', '2025-01-03', '2025-01-05'])
      expect(byKey.get(key)!.runId).toBe(firstRuns.get(key));
    expect(byKey.get('2025-01-04')!.error).toContain('bad rows on 2025-01-04');

    const retryRuns: Array<{ trigger: string; parent_run_id: string; idempotency_key: string }> =
      await harness.database.dataSource.query(
        `SELECT trigger, parent_run_id, idempotency_key FROM runs WHERE id = ANY($1::uuid[]) ORDER BY idempotency_key`,
        [[byKey.get('2025-01-02')!.runId, byKey.get('2025-01-04')!.runId]],
      );
    expect(retryRuns).toEqual([
      {
        trigger: 'backfill',
        parent_run_id: firstRuns.get('2025-01-02'),
        idempotency_key: `backfill:${created.id}:2025-01-02:retry-1`,
      },
      {
        trigger: 'backfill',
        parent_run_id: firstRuns.get('2025-01-04'),
        idempotency_key: `backfill:${created.id}:2025-01-04:retry-1`,
      },
    ]);

    // Fixed: the second retry runs 01-04 from its latest failure, and the backfill succeeds.
    broken.clear();
    calls.length = 0;
    await backfills.retryFailed(created.id);
    const final = await waitFor(async () => ended(await backfills!.get(created.id)), 'the second retry to end');
    expect(final).toMatchObject({ status: 'succeeded', retries: 2 });
    expect(final.counts).toEqual({ pending: 0, running: 0, succeeded: 5, failed: 0 });
    expect(calls).toEqual(['clean 2025-01-04']);
    const events: Array<{ type: string }> = await harness.database.dataSource.query(
      `SELECT type FROM event_log WHERE type LIKE 'backfill.%' ORDER BY id`,
    );
    expect(events.map((e) => e.type)).toEqual([
      'backfill.created',
      'backfill.failed',
      'backfill.retried',
      'backfill.failed',
      'backfill.retried',
      'backfill.succeeded',
    ]);

    // A backfill that succeeded has nothing to retry: refused, naming it, nothing written.
    const before = await harness.count('event_log');
    await expect(backfills.retryFailed(created.id)).rejects.toThrow(
      `backfill ${created.id} is succeeded: only the partitions of a failed backfill can be retried`,
    );
    expect(await harness.count('event_log')).toBe(before);
    expect((await backfills.get(created.id))!.retries).toBe(2);
  });

  it('refuses an unknown backfill', async () => {
    const { assets } = project();
    harness = await startEngine(backend, assets);
    backfills = new BackfillRunner({ engine: harness.engine, log: () => {} });
    await backfills.start();
    const id = '00000000-0000-4000-8000-000000000000';
    await expect(backfills.retryFailed(id)).rejects.toThrow(`no backfill ${id}`);
  });
});
