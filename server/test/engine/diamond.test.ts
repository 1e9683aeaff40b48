import { afterEach, describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import { NonRetryableError } from '../../src/sdk/retry.js';
import type { RetryPolicySpec } from '../../src/sdk/retry.js';
import { systemClock, type Clock } from '../../src/runs/clock.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startEngine, waitFor, type EngineHarness } from '../support/engine-harness.js';

/** a → b, a → c, (b, c) → d, with a hook to make b misbehave. */
function diamond(options: { bBehaviour?: (attempt: number) => void; bRetry?: RetryPolicySpec } = {}) {
  const calls: string[] = [];
  const a = asset({
    key: 'a',
    materialize: async () => {
      calls.push('a');
      return { n: 1 };
    },
  });
  const b = asset({
    key: 'b',
    deps: { a },
    retry: options.bRetry,
    materialize: async (ctx, { a: upstream }) => {
      calls.push(`b#${ctx.attemptNumber}`);
      options.bBehaviour?.(ctx.attemptNumber);
      return { n: upstream.n + 1 };
    },
  });
  const c = asset({
    key: 'c',
    deps: { a },
    materialize: async (_ctx, { a: upstream }) => {
      calls.push('c');
      return { n: upstream.n * 10 };
    },
  });
  const d = asset({
    key: 'd',
    deps: { b, c },
    materialize: async (ctx, inputs) => {
      calls.push('d');
      ctx.metadata({ sum: inputs.b.n + inputs.c.n });
      return { sum: inputs.b.n + inputs.c.n };
    },
  });
  return { assets: [a, b, c, d], calls };
}

const stepOf = async (h: EngineHarness, runId: string, key: string) =>
  (await h.engine.getRun(runId))!.steps.find((s) => s.assetKey === key)!;

describe.each(STORAGE_BACKENDS)('engine on a diamond graph (%s)', (backend) => {
  let harness: EngineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('runs every step once, upstream before downstream, and passes typed outputs down', async () => {
    const { assets, calls } = diamond();
    harness = await startEngine(backend, assets);
    const run = await harness.engine.requestRun({ selection: '*', trigger: 'manual' });
    const final = await harness.engine.waitForRun(run.id);
    expect(final.status).toBe('succeeded');
    expect(calls).toHaveLength(4);
    expect(calls[0]).toBe('a');
    expect(calls.indexOf('d')).toBe(3);
    expect(final.steps.map((s) => s.assetKey)).toEqual(['a', 'b', 'c', 'd']);
    expect(final.steps.find((s) => s.assetKey === 'd')!.output!.metadata).toEqual({ sum: 12 });
    expect(await harness.count('materializations')).toBe(4);
    const types = (await harness.engine.runEvents(run.id)).map((e) => e.type);
    expect(types[0]).toBe('run.created');
    expect(types.at(-1)).toBe('run.succeeded');
  });

  it('skips the downstream of a failed step and fails the run', async () => {
    const { assets, calls } = diamond({
      bBehaviour: () => {
        throw new Error('b broke');
      },
    });
    harness = await startEngine(backend, assets);
    const run = await harness.engine.requestRun({ selection: '*', trigger: 'manual' });
    const final = await harness.engine.waitForRun(run.id);
    expect(final.status).toBe('failed');
    const status = Object.fromEntries(final.steps.map((s) => [s.assetKey, s.status]));
    expect(status).toEqual({ a: 'succeeded', b: 'failed', c: 'succeeded', d: 'skipped' });
    expect(calls).not.toContain('d');
    expect(final.steps.find((s) => s.assetKey === 'd')!.error).toContain('upstream b failed');
    expect(final.steps.find((s) => s.assetKey === 'b')!.error).toBe('b broke');
    expect(await harness.count('materializations')).toBe(2);
  });

  it('still retries when the retry timer fires before the retry is due', async () => {
    // The system clock's timers may fire before the wall clock reaches their time; this clock
    // always fires 30 ms early. The retry must still happen, once, and the run end.
    const earlyClock: Clock = {
      now: () => new Date(),
      setTimer: (at, fire) => systemClock.setTimer(new Date(at.getTime() - 30), fire),
    };
    const { assets, calls } = diamond({
      bRetry: { maxAttempts: 2, delay: '100ms', jitter: 'none' },
      bBehaviour: (attempt) => {
        if (attempt === 1) throw new Error('transient');
      },
    });
    harness = await startEngine(backend, assets, { clock: earlyClock });
    const run = await harness.engine.requestRun({ selection: '*', trigger: 'manual' });
    const final = await waitFor(
      async () => {
        const view = await harness!.engine.getRun(run.id);
        return view && ['succeeded', 'failed'].includes(view.status) ? view : undefined;
      },
      'the run to end after the retry of b',
      10_000,
    );
    expect(final.status).toBe('succeeded');
    expect(calls.filter((c) => c.startsWith('b'))).toEqual(['b#1', 'b#2']);
  });

  it('retries with exponential backoff on the controlled clock, capped by maxDelay, then succeeds', async () => {
    const { assets, calls } = diamond({
      bRetry: { maxAttempts: 4, backoff: 'exponential', delay: '10s', maxDelay: '15s', jitter: 'none' },
      bBehaviour: (attempt) => {
        if (attempt < 3) throw new Error(`transient #${attempt}`);
      },
    });
    harness = await startEngine(backend, assets, { manualClock: true });
    const { clock, engine } = harness;
    const run = await engine.requestRun({ selection: '*', trigger: 'manual' });

    const first = await waitFor(async () => {
      const b = await stepOf(harness!, run.id, 'b');
      return b.status === 'retry_scheduled' && engine.pendingRetries() === 1 ? b : undefined;
    }, 'b to wait for its first retry');
    expect(first.attempts).toBe(1);
    expect(Date.parse(first.nextAttemptAt!) - clock!.now().getTime()).toBe(10_000);

    clock!.advance(9_999);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.filter((c) => c.startsWith('b'))).toEqual(['b#1']);

    clock!.advance(1);
    const second = await waitFor(async () => {
      const b = await stepOf(harness!, run.id, 'b');
      return b.status === 'retry_scheduled' && b.attempts === 2 && engine.pendingRetries() === 1 ? b : undefined;
    }, 'b to wait for its second retry');
    // 10s × 2 = 20s, capped at maxDelay 15s.
    expect(Date.parse(second.nextAttemptAt!) - clock!.now().getTime()).toBe(15_000);

    clock!.advance(15_000);
    const final = await engine.waitForRun(run.id);
    expect(final.status).toBe('succeeded');
    expect(calls.filter((c) => c.startsWith('b'))).toEqual(['b#1', 'b#2', 'b#3']);
    const attempts: Array<{ number: number; status: string; retry_delay_ms: number | null }> =
      await harness.database.dataSource.query(
        `SELECT a.number, a.status, a.retry_delay_ms::float8 AS retry_delay_ms FROM attempts a JOIN steps s ON s.id = a.step_id WHERE s.asset_key = 'b' ORDER BY a.number`,
      );
    expect(attempts).toEqual([
      { number: 1, status: 'failed', retry_delay_ms: 10_000 },
      { number: 2, status: 'failed', retry_delay_ms: 15_000 },
      { number: 3, status: 'succeeded', retry_delay_ms: null },
    ]);
    expect(await harness.count('materializations')).toBe(4);
  });

  it('fails at once on a non-retryable error, whatever attempts are left', async () => {
    const { assets, calls } = diamond({
      bRetry: { maxAttempts: 5, delay: '1s', jitter: 'none' },
      bBehaviour: () => {
        throw new NonRetryableError('bad config');
      },
    });
    harness = await startEngine(backend, assets, { manualClock: true });
    const run = await harness.engine.requestRun({ selection: '*', trigger: 'manual' });
    const final = await harness.engine.waitForRun(run.id);
    expect(final.status).toBe('failed');
    expect(calls.filter((c) => c.startsWith('b'))).toEqual(['b#1']);
    expect(harness.clock!.pendingDelays()).toEqual([]);
    const [row] = await harness.database.dataSource.query(
      `SELECT error_kind FROM attempts a JOIN steps s ON s.id = a.step_id WHERE s.asset_key = 'b'`,
    );
    expect(row.error_kind).toBe('non_retryable');
  });

  it('treats error classes listed in the policy as non-retryable', async () => {
    class QuotaExceeded extends Error {}
    const { assets, calls } = diamond({
      bRetry: { maxAttempts: 5, delay: '1s', nonRetryable: [QuotaExceeded] },
      bBehaviour: () => {
        throw new QuotaExceeded('quota');
      },
    });
    harness = await startEngine(backend, assets, { manualClock: true });
    const final = await harness.engine.waitForRun(
      (await harness.engine.requestRun({ selection: '*', trigger: 'manual' })).id,
    );
    expect(final.status).toBe('failed');
    expect(calls.filter((c) => c.startsWith('b'))).toEqual(['b#1']);
  });

  it('runs only the selection, reading unselected upstreams from their latest materialization', async () => {
    const { assets, calls } = diamond();
    harness = await startEngine(backend, assets);
    await harness.engine.waitForRun((await harness.engine.requestRun({ selection: '*', trigger: 'manual' })).id);
    calls.length = 0;
    const final = await harness.engine.waitForRun(
      (await harness.engine.requestRun({ selection: 'd', trigger: 'manual' })).id,
    );
    expect(final.status).toBe('succeeded');
    expect(calls).toEqual(['d']);
  });
});
