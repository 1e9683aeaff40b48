import { afterEach, describe, expect, it } from 'vitest';
import { asset } from '../../src/sdk/asset.js';
import { manyToOne, timeWindow, withMapping } from '../../src/sdk/partition-mapping.js';
import { dailyPartitions, dynamicPartitions, monthlyPartitions } from '../../src/sdk/partitions.js';
import type { RunView } from '../../src/runs/run-queries.js';
import { NonRetryableError } from '../../src/sdk/retry.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

const daily = dailyPartitions({ start: '2025-01-01' });

/** a → b, a → c, (b, c) → d, all daily: each call is recorded as `asset@partition`. */
function partitionedDiamond() {
  const calls: string[] = [];
  const a = asset({
    key: 'a',
    partitions: daily,
    materialize: async (ctx) => {
      calls.push(`a@${ctx.partition}`);
      return { day: ctx.partition!, n: Number(ctx.partition!.slice(-2)) };
    },
  });
  const b = asset({
    key: 'b',
    partitions: daily,
    deps: { a },
    materialize: async (ctx, { a: up }) => {
      calls.push(`b@${ctx.partition}`);
      return { day: up.day, n: up.n + 1 };
    },
  });
  const c = asset({
    key: 'c',
    partitions: daily,
    deps: { a },
    materialize: async (ctx, { a: up }) => {
      calls.push(`c@${ctx.partition}`);
      return { day: up.day, n: up.n * 10 };
    },
  });
  const d = asset({
    key: 'd',
    partitions: daily,
    deps: { b, c },
    materialize: async (ctx, { b: left, c: right }) => {
      calls.push(`d@${ctx.partition}`);
      // Both inputs come from this step's own partition.
      if (left.day !== ctx.partition || right.day !== ctx.partition) throw new Error('read the wrong partition');
      return { sum: left.n + right.n };
    },
  });
  return { assets: [a, b, c, d], calls };
}

const statuses = (run: RunView) =>
  Object.fromEntries(run.steps.map((s) => [`${s.assetKey}@${s.partitionKey}`, s.status]));

describe.each(STORAGE_BACKENDS)('partitioned runs (%s)', (backend) => {
  let harness: EngineHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('plans one step per asset and partition, ordered within each partition only', async () => {
    const { assets, calls } = partitionedDiamond();
    harness = await startEngine(backend, assets);
    const run = await harness.engine.requestRun({
      selection: '*',
      trigger: 'manual',
      partitions: { from: '2025-01-01', to: '2025-01-03' },
    });
    expect(run.steps.map((s) => `${s.assetKey}@${s.partitionKey}`)).toEqual(
      ['a', 'b', 'c', 'd'].flatMap((key) => ['01', '02', '03'].map((day) => `${key}@2025-01-${day}`)),
    );
    const final = await harness.engine.waitForRun(run.id);
    expect(final.status).toBe('succeeded');
    expect(calls).toHaveLength(12);
    for (const day of ['01', '02', '03']) {
      const at = (key: string) => calls.indexOf(`${key}@2025-01-${day}`);
      expect(at('a')).toBeLessThan(at('b'));
      expect(at('a')).toBeLessThan(at('c'));
      expect(Math.max(at('b'), at('c'))).toBeLessThan(at('d'));
    }
    // d of a day waits for b and c of that day, not of the other days.
    const rows: Array<{ asset_key: string; partition_key: string; deps: string[] }> =
      await harness.database.dataSource.query(
        `SELECT s.asset_key, s.partition_key,
                (SELECT coalesce(jsonb_agg(u.asset_key || '@' || u.partition_key ORDER BY u.asset_key), '[]'::jsonb)
                   FROM steps u WHERE s.depends_on ? u.id::text) AS deps
           FROM steps s WHERE s.run_id = $1 AND s.asset_key = 'd' ORDER BY s.partition_key`,
        [run.id],
      );
    expect(rows.map((r) => r.deps)).toEqual([
      ['b@2025-01-01', 'c@2025-01-01'],
      ['b@2025-01-02', 'c@2025-01-02'],
      ['b@2025-01-03', 'c@2025-01-03'],
    ]);
    const sums: Array<{ partition_key: string; output_inline: { sum: number } }> =
      await harness.database.dataSource.query(
        `SELECT partition_key, output_inline FROM materializations WHERE asset_key = 'd' ORDER BY partition_key`,
      );
    expect(sums.map((r) => r.output_inline.sum)).toEqual([12, 23, 34]);

    // A later run of one partition of d reads b and c of that partition.
    calls.length = 0;
    const again = await harness.engine.waitForRun(
      (await harness.engine.requestRun({ selection: 'd', trigger: 'manual', partitions: ['2025-01-02'] })).id,
    );
    expect(again.status).toBe('succeeded');
    expect(calls).toEqual(['d@2025-01-02']);
  });

  it('rejects partitions that are not the assets', async () => {
    const { assets } = partitionedDiamond();
    harness = await startEngine(backend, assets);
    const request = (partitions: string[] | { from: string; to: string }) =>
      harness!.engine.requestRun({ selection: 'a', trigger: 'manual', partitions });
    await expect(request(['2025-13-01'])).rejects.toThrow(
      "a: '2025-13-01' is not a daily partition key: expected YYYY-MM-DD",
    );
    await expect(request(['2024-12-31'])).rejects.toThrow("a: '2024-12-31' is before the first partition '2025-01-01'");
    await expect(request({ from: '2025-02-01', to: '2025-01-01' })).rejects.toThrow(/is empty/);
    await expect(harness.engine.requestRun({ selection: 'a', trigger: 'manual' })).resolves.toMatchObject({
      steps: [{ assetKey: 'a', partitionKey: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }],
    });
    expect(await harness.count('runs')).toBe(1);
  });

  it('time window with an offset: d reads d-1, in the same run or from history', async () => {
    const calls: string[] = [];
    const counts = asset({
      key: 'counts',
      partitions: daily,
      materialize: (ctx) => (calls.push(`counts@${ctx.partition}`), Number(ctx.partition!.slice(-2))),
    });
    const delta = asset({
      key: 'delta',
      partitions: dailyPartitions({ start: '2025-01-02' }),
      deps: { today: counts, yesterday: withMapping(counts, timeWindow({ offset: -1 })) },
      materialize: (ctx, { today, yesterday }) => (calls.push(`delta@${ctx.partition}`), `${yesterday}->${today}`),
    });
    harness = await startEngine(backend, [counts, delta]);

    // Day 1 of counts is not in the run and was never materialized: a clear, final failure.
    const early = await harness.engine.waitForRun(
      (await harness.engine.requestRun({ selection: '*', trigger: 'manual', partitions: ['2025-01-02'] })).id,
    );
    expect(statuses(early)).toEqual({ 'counts@2025-01-02': 'succeeded', 'delta@2025-01-02': 'failed' });
    expect(early.steps.find((s) => s.assetKey === 'delta')!.error).toBe(
      "input 'yesterday' of delta partition 2025-01-02 needs partition 2025-01-01 of counts, never materialized: materialize it first (weir materialize counts --partitions 2025-01-01) or backfill counts",
    );

    // With day 1 in the run (counts starts a day before delta), each delta waits for its two days.
    calls.length = 0;
    const run = await harness.engine.requestRun({
      selection: '*',
      trigger: 'manual',
      partitions: { from: '2025-01-01', to: '2025-01-04' },
    });
    expect(run.steps.map((s) => `${s.assetKey}@${s.partitionKey}`)).toContain('counts@2025-01-01');
    expect(run.steps.map((s) => `${s.assetKey}@${s.partitionKey}`)).not.toContain('delta@2025-01-01');
    const final = await harness.engine.waitForRun(run.id);
    expect(final.status).toBe('succeeded');
    for (const day of [2, 3, 4]) {
      expect(calls.indexOf(`counts@2025-01-0${day - 1}`)).toBeLessThan(calls.indexOf(`delta@2025-01-0${day}`));
    }
    const values: Array<{ output_inline: string }> = await harness.database.dataSource.query(
      `SELECT m.output_inline FROM materializations m WHERE m.run_id = $1 AND m.asset_key = 'delta' ORDER BY m.partition_key`,
      [run.id],
    );
    expect(values.map((v) => v.output_inline)).toEqual(['1->2', '2->3', '3->4']);
  });

  it('many to one: a month reads every day of it, and says which are missing', async () => {
    const days = asset({
      key: 'days',
      partitions: daily,
      materialize: (ctx) => ({ orders: Number(ctx.partition!.slice(-2)) }),
    });
    const month = asset({
      key: 'month',
      partitions: monthlyPartitions({ start: '2025-01' }),
      deps: { days: withMapping(days, manyToOne()) },
      materialize: (_ctx, inputs) => ({
        keys: Object.keys(inputs.days),
        total: Object.values(inputs.days).reduce((sum, day) => sum + day.orders, 0),
      }),
    });
    harness = await startEngine(backend, [days, month]);
    await expect(
      harness.engine.requestRun({ selection: '*', trigger: 'manual', partitions: ['2025-01'] }),
    ).rejects.toThrow(/the selection mixes partitions: days \(daily partitions \(UTC\)\); month \(monthly partitions/);

    const january = await harness.engine.waitForRun(
      (
        await harness.engine.requestRun({
          selection: 'days',
          trigger: 'manual',
          partitions: { from: '2025-01-01', to: '2025-01-31' },
        })
      ).id,
    );
    expect(january.steps).toHaveLength(31);
    const monthly = await harness.engine.waitForRun(
      (await harness.engine.requestRun({ selection: 'month', trigger: 'manual', partitions: ['2025-01', '2025-02'] }))
        .id,
    );
    expect(statuses(monthly)).toEqual({ 'month@2025-01': 'succeeded', 'month@2025-02': 'failed' });
    const [row] = await harness.database.dataSource.query(
      `SELECT output_inline FROM materializations WHERE asset_key = 'month' AND partition_key = '2025-01'`,
    );
    expect(row.output_inline.total).toBe((31 * 32) / 2);
    expect(row.output_inline.keys).toHaveLength(31);
    expect(row.output_inline.keys.slice(0, 2)).toEqual(['2025-01-01', '2025-01-02']);
    expect(monthly.steps.find((s) => s.partitionKey === '2025-02')!.error).toMatch(
      /^input 'days' of month partition 2025-02 needs partitions 2025-02-01, 2025-02-02, 2025-02-03, 2025-02-04, 2025-02-05 and 23 more of days, never materialized/,
    );
  });

  it('unpartitioned to partitioned reads the latest value; partitioned to unpartitioned reads every partition', async () => {
    const rates = asset({ key: 'rates', materialize: () => ({ eur: 2 }) });
    const sales = asset({
      key: 'sales',
      partitions: daily,
      deps: { rates },
      materialize: (ctx, { rates: r }) => Number(ctx.partition!.slice(-2)) * r.eur,
    });
    const report = asset({
      key: 'report',
      deps: { sales },
      materialize: (_ctx, inputs) => inputs.sales,
    });
    harness = await startEngine(backend, [rates, sales, report]);
    const run = await harness.engine.requestRun({
      selection: '*',
      trigger: 'manual',
      partitions: { from: '2025-01-01', to: '2025-01-03' },
    });
    // Unpartitioned assets run once, around the partitions.
    expect(run.steps.map((s) => `${s.assetKey}@${s.partitionKey}`)).toEqual([
      'rates@',
      'sales@2025-01-01',
      'sales@2025-01-02',
      'sales@2025-01-03',
      'report@',
    ]);
    expect((await harness.engine.waitForRun(run.id)).status).toBe('succeeded');
    const [row] = await harness.database.dataSource.query(
      `SELECT output_inline FROM materializations WHERE asset_key = 'report'`,
    );
    expect(row.output_inline).toEqual({ '2025-01-01': 2, '2025-01-02': 4, '2025-01-03': 6 });
  });

  it('dynamic partitions: keys added at run time, validated when requested', async () => {
    const seen: string[] = [];
    const perCustomer = asset({
      key: 'per_customer',
      partitions: dynamicPartitions('customers'),
      materialize: (ctx) => (seen.push(ctx.partition!), ctx.partition),
    });
    harness = await startEngine(backend, [perCustomer]);
    const { engine } = harness;
    await expect(engine.requestRun({ selection: '*', trigger: 'manual' })).rejects.toThrow(
      'nothing to run: per_customer has no partition yet',
    );
    await expect(engine.requestRun({ selection: '*', trigger: 'manual', partitions: ['acme'] })).rejects.toThrow(
      "per_customer: 'acme' has not been added to the dynamic partitions 'customers' (weir partitions add customers acme)",
    );
    expect(await engine.addDynamicPartitions('customers', ['acme', 'globex'])).toEqual(['acme', 'globex']);
    expect(await engine.addDynamicPartitions('customers', ['globex', 'initech'])).toEqual(['initech']);
    await expect(engine.addDynamicPartitions('vendors', ['x'])).rejects.toThrow(
      "no asset uses dynamic partitions 'vendors' (sets in use: customers)",
    );
    await expect(engine.addDynamicPartitions('customers', ['a b'])).rejects.toThrow(/without whitespace/);

    const one = await engine.waitForRun(
      (await engine.requestRun({ selection: '*', trigger: 'manual', partitions: ['globex'] })).id,
    );
    expect(statuses(one)).toEqual({ 'per_customer@globex': 'succeeded' });
    const all = await engine.waitForRun((await engine.requestRun({ selection: '*', trigger: 'manual' })).id);
    expect(all.steps.map((s) => s.partitionKey)).toEqual(['acme', 'globex', 'initech']);
    expect(seen.sort()).toEqual(['acme', 'globex', 'globex', 'initech']);
    const listed = await engine.listPartitions('per_customer');
    expect(listed.definition).toBe("dynamic 'customers'");
    expect(listed.partitions.map((p) => [p.key, p.runId])).toEqual([
      ['acme', all.id],
      ['globex', all.id],
      ['initech', all.id],
    ]);
  });

  it('re-executes a partitioned run from its failure: only the failed partitions run again', async () => {
    const calls: string[] = [];
    let broken = true;
    const days = asset({
      key: 'days',
      partitions: daily,
      materialize: (ctx) => {
        calls.push(`days@${ctx.partition}`);
        if (broken && ctx.partition === '2025-01-02') throw new NonRetryableError('bad day');
        return ctx.partition;
      },
    });
    const next = asset({ key: 'next', partitions: daily, deps: { days }, materialize: (ctx, { days: d }) => `${d}+` });
    harness = await startEngine(backend, [days, next]);
    const first = await harness.engine.waitForRun(
      (
        await harness.engine.requestRun({
          selection: '*',
          trigger: 'manual',
          partitions: { from: '2025-01-01', to: '2025-01-03' },
        })
      ).id,
    );
    expect(first.status).toBe('failed');
    expect(statuses(first)).toMatchObject({ 'days@2025-01-02': 'failed', 'next@2025-01-02': 'skipped' });
    broken = false;
    calls.length = 0;
    const again = await harness.engine.waitForRun((await harness.engine.reexecute(first.id, 'from-failure')).id);
    expect(again.status).toBe('succeeded');
    expect(calls).toEqual(['days@2025-01-02']);
    expect(again.steps.map((s) => `${s.assetKey}@${s.partitionKey}`)).toEqual(
      first.steps.map((s) => `${s.assetKey}@${s.partitionKey}`),
    );
  });
});
