import { afterEach, describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import { NonRetryableError } from '../../src/sdk/retry.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startEngine, waitFor, type EngineHarness } from '../support/engine-harness.js';

/** extract → transform → load, plus report reading extract; transform fails while `broken`. */
function pipeline() {
  const calls: string[] = [];
  const state = { broken: true };
  const extract = asset({
    key: 'etl/extract',
    materialize: async () => {
      calls.push('extract');
      return { rows: [1, 2, 3] };
    },
  });
  const transform = asset({
    key: 'etl/transform',
    deps: { extract },
    materialize: async (_ctx, { extract: input }) => {
      calls.push('transform');
      if (state.broken) throw new NonRetryableError('bad mapping');
      return input.rows.map((n) => n * 10);
    },
  });
  const load = asset({
    key: 'etl/load',
    deps: { transform },
    materialize: async (_ctx, { transform: rows }) => {
      calls.push('load');
      return rows.reduce((a, b) => a + b, 0);
    },
  });
  const report = asset({
    key: 'etl/report',
    deps: { extract },
    materialize: async (_ctx, { extract: input }) => {
      calls.push('report');
      return input.rows.length;
    },
  });
  return { assets: [extract, transform, load, report], calls, state };
}

describe.each(STORAGE_BACKENDS)('re-execution and cancellation (%s)', (backend) => {
  let harness: EngineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('re-executes from failure: succeeded steps reuse their outputs and are not recomputed', async () => {
    const { assets, calls, state } = pipeline();
    harness = await startEngine(backend, assets);
    const first = await harness.engine.waitForRun(
      (await harness.engine.requestRun({ selection: '*', trigger: 'manual' })).id,
    );
    expect(first.status).toBe('failed');
    expect(Object.fromEntries(first.steps.map((s) => [s.assetKey, s.status]))).toEqual({
      'etl/extract': 'succeeded',
      'etl/transform': 'failed',
      'etl/load': 'skipped',
      'etl/report': 'succeeded',
    });

    state.broken = false;
    calls.length = 0;
    const second = await harness.engine.reexecute(first.id, 'from-failure');
    const final = await harness.engine.waitForRun(second.id);
    expect(final.status).toBe('succeeded');
    expect(calls.sort()).toEqual(['load', 'transform']);
    expect(final.parentRunId).toBe(first.id);
    // The reused outputs are the very same stored values (same data version), not copies.
    const reused = final.steps.find((s) => s.assetKey === 'etl/extract')!;
    expect(reused.attempts).toBe(0);
    expect(reused.output!.sha256).toBe(first.steps.find((s) => s.assetKey === 'etl/extract')!.output!.sha256);
    const [{ n }] = await harness.database.dataSource.query(
      `SELECT count(*) AS n FROM materializations WHERE asset_key = 'etl/extract'`,
    );
    expect(Number(n)).toBe(1);
    const [loaded] = await harness.database.dataSource.query(
      `SELECT output_inline FROM materializations WHERE run_id = $1 AND asset_key = 'etl/load'`,
      [final.id],
    );
    expect(loaded.output_inline).toBe(60);

    await expect(harness.engine.reexecute(final.id, 'from-failure')).rejects.toThrow(
      /succeeded: there is no failure to re-execute from/,
    );
    calls.length = 0;
    const all = await harness.engine.waitForRun((await harness.engine.reexecute(final.id, 'all')).id);
    expect(all.status).toBe('succeeded');
    expect(calls.sort()).toEqual(['extract', 'load', 'report', 'transform']);
  });

  it('cancels a run: the running step is aborted through ctx.signal, the rest never starts', async () => {
    let sawAbort = false;
    const slow = asset({
      key: 'cancel/slow',
      materialize: (ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(ctx.signal.reason as Error);
          });
        }),
    });
    const after = asset({ key: 'cancel/after', deps: { slow }, materialize: async () => 'never' });
    harness = await startEngine(backend, [slow, after], { retryDefaults: { maxAttempts: 5, delay: 0 } });
    const run = await harness.engine.requestRun({ selection: '*', trigger: 'manual' });
    await waitFor(
      async () => (await harness!.engine.getRun(run.id))!.steps[0]!.status === 'running',
      'the slow step to run',
    );
    await harness.engine.cancel(run.id);
    const final = await harness.engine.waitForRun(run.id);
    expect(final.status).toBe('canceled');
    expect(sawAbort).toBe(true);
    expect(Object.fromEntries(final.steps.map((s) => [s.assetKey, s.status]))).toEqual({
      'cancel/slow': 'canceled',
      'cancel/after': 'canceled',
    });
    const attempts: Array<{ status: string }> = await harness.database.dataSource.query(`SELECT status FROM attempts`);
    expect(attempts).toEqual([{ status: 'canceled' }]);
    await expect(harness.engine.cancel(run.id)).rejects.toThrow(/has already ended \(canceled\)/);
    // A canceled run can be re-executed from where it stopped.
    const again = await harness.engine.reexecute(run.id, 'from-failure');
    expect(again.steps.map((s) => s.status)).not.toContain('succeeded');
    await harness.engine.cancel(again.id);
  });
});
