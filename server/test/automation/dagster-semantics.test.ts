import { afterEach, describe, expect, it } from 'vitest';
import { reportObservation } from '../../src/api/report-observation.js';
import { asset } from '../../src/sdk/asset.js';
import { AssetGraph } from '../../src/graph/asset-graph.js';
import { codeVersionChanged, eager, onMissing } from '../../src/sdk/automation.js';
import { dailyPartitions } from '../../src/sdk/partitions.js';
import { NonRetryableError } from '../../src/sdk/retry.js';
import { sourceAsset } from '../../src/sdk/source-asset.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startAutomation, type AutomationHarness } from '../support/automation-harness.js';

/**
 * Issue 14: the cases where Dagster's declarative automation deliberately does not fire, and
 * Weir must not either. Driven by real commits (manual runs, reported observations) on a test
 * clock; each case on PGlite and PostgreSQL.
 */
describe.each(STORAGE_BACKENDS)('automation as Dagster users expect it (%s)', (backend) => {
  let h: AutomationHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const triggers = async (assetKey: string) => (await h!.runsOf(assetKey)).map((r) => `${r.trigger}:${r.status}`);

  it('an observation reporting the same data version as the last one is not an update', async () => {
    const fx = sourceAsset({ key: 'vendor/fx' });
    const rates = asset({
      key: 'silver/rates',
      deps: { fx },
      automation: eager(),
      materialize: (_ctx, { fx: observed }) => observed?.dataVersion ?? null,
    });
    h = await startAutomation(backend, [fx, rates], { manualClock: true });
    const observe = async (dataVersion: string) => {
      const reported = await reportObservation(h!.engine, h!.automation, { assetKey: 'vendor/fx', dataVersion });
      await h!.settle();
      h!.clock!.advance(60_000);
      return reported.runsRequested.length;
    };
    expect(await observe('2025-03-01')).toBe(1);
    // The vendor reports again, the data has not changed: no event, no run.
    expect(await observe('2025-03-01')).toBe(0);
    expect(await observe('2025-03-01')).toBe(0);
    expect(await h.count('automation_inbox')).toBe(1);
    expect(await triggers('silver/rates')).toEqual(['upstream:succeeded']);
    const observed = await h.database.dataSource.query(
      `SELECT message FROM event_log WHERE type = 'asset.observed' ORDER BY id`,
    );
    expect(observed.map((row: { message: string }) => row.message)).toEqual([
      'observed by api (data version 2025-03-01)',
      'observed by api (data version 2025-03-01, unchanged: not an update)',
      'observed by api (data version 2025-03-01, unchanged: not an update)',
    ]);
    // A new version is an update again; an observation without a version cannot say it is not.
    expect(await observe('2025-03-02')).toBe(1);
    expect((await reportObservation(h.engine, h.automation, { assetKey: 'vendor/fx' })).runsRequested).toHaveLength(1);
    await h.settle();
    expect(await triggers('silver/rates')).toEqual(['upstream:succeeded', 'upstream:succeeded', 'upstream:succeeded']);
  });

  it('a failed middle asset of a chain does not make the downstream run until it succeeds', async () => {
    let bronzeBroken = true;
    const raw = asset({ key: 'raw', materialize: async () => 1 });
    const bronze = asset({
      key: 'bronze',
      deps: { raw },
      automation: eager(),
      materialize: async (_ctx, { raw: value }) => {
        if (bronzeBroken) throw new NonRetryableError('bronze: upstream file is corrupt');
        return value + 1;
      },
    });
    const silver = asset({
      key: 'silver',
      deps: { bronze },
      automation: eager(),
      materialize: async (_c, i) => i.bronze,
    });
    h = await startAutomation(backend, [raw, bronze, silver], { manualClock: true });
    const materialize = async (selection: string) => {
      await h!.engine.waitForRun((await h!.engine.requestRun({ selection, trigger: 'manual' })).id);
      await h!.settle();
      h!.clock!.advance(60_000);
    };
    await materialize('raw');
    expect(await triggers('bronze')).toEqual(['upstream:failed']);
    expect(await triggers('silver')).toEqual([]);
    // The failure re-triggers nothing by itself, whatever wakes the conditions up again.
    await h.automation.onRunEnded((await h.runsOf('bronze'))[0]!.id);
    await h.automation.evaluateAll();
    await h.automation.sweepUnevaluated(0);
    await h.settle();
    expect(await triggers('bronze')).toEqual(['upstream:failed']);
    expect(await triggers('silver')).toEqual([]);
    const silverDecisions = await h.decisions('silver');
    expect(silverDecisions.every((d) => d.type === 'automation.declined')).toBe(true);

    // The next upstream update is the next try; once bronze succeeds, silver runs, once.
    bronzeBroken = false;
    await materialize('raw');
    expect(await triggers('bronze')).toEqual(['upstream:failed', 'upstream:succeeded']);
    expect(await triggers('silver')).toEqual(['upstream:succeeded']);
    await h.automation.evaluateAll();
    await h.settle();
    expect(await triggers('silver')).toEqual(['upstream:succeeded']);
  });

  it('adding onMissing() to an asset with 30 days of missing daily partitions requests none of them', async () => {
    // The manual clock starts at 2026-01-01T00:00Z: 2025-12-02 … 2025-12-31 are complete, none materialized.
    const report = asset({
      key: 'gold/daily_report',
      partitions: dailyPartitions({ start: '2025-12-02' }),
      automation: onMissing(),
      materialize: (ctx) => ctx.partition,
    });
    const plain = asset({ key: 'gold/summary', automation: onMissing(), materialize: async () => 1 });
    h = await startAutomation(backend, [report, plain], { manualClock: true, evaluateAtStart: false });
    // First evaluation (the deploy): nothing fires, partitioned or not.
    const first = await h.automation.evaluateAll();
    expect(first.map((d) => [d.assetKey, d.requested, d.reasons])).toEqual([
      [
        'gold/daily_report',
        false,
        ['[2025-12-31] first evaluation of this condition: what is already true is not acted on'],
      ],
      ['gold/summary', false, ['first evaluation of this condition: what is already true is not acted on']],
    ]);
    h.clock!.advance(60 * 60_000);
    expect((await h.automation.evaluateAll()).some((d) => d.requested)).toBe(false);
    expect(await h.count('runs')).toBe(0);

    // A day later, 2026-01-01 has come into existence since the condition was added: it is
    // newly missing and requested, once; the 30 older days still are not.
    h.clock!.advance(24 * 60 * 60_000);
    const next = await h.automation.evaluateAll();
    expect(next.find((d) => d.assetKey === 'gold/daily_report')).toMatchObject({
      requested: true,
      reasons: ['[2026-01-01] newly missing (a partition that did not exist before)'],
    });
    await h.settle();
    expect((await h.automation.evaluateAll()).some((d) => d.requested)).toBe(false);
    const partitions = await h.database.dataSource.query(
      `SELECT s.partition_key FROM steps s WHERE s.asset_key = 'gold/daily_report' ORDER BY s.id`,
    );
    expect(partitions).toEqual([{ partition_key: '2026-01-01' }]);
    expect(await h.count('runs')).toBe(1);
  });

  it('switching an asset to partitioned is a first evaluation again: nothing is requested at once', async () => {
    const unpartitioned = asset({ key: 'orders', automation: onMissing(), materialize: async () => 1 });
    h = await startAutomation(backend, [unpartitioned], { manualClock: true });
    await h.automation.evaluateAll();
    h.clock!.advance(24 * 60 * 60_000);
    const partitioned = asset({
      key: 'orders',
      partitions: dailyPartitions({ start: '2025-12-01' }),
      automation: onMissing(),
      materialize: (ctx) => ctx.partition,
    });
    await h.engine.setGraph(AssetGraph.build([partitioned]));
    const [decision] = await h.automation.evaluateAll();
    expect(decision).toMatchObject({
      requested: false,
      reasons: ['[2026-01-01] first evaluation of this condition: what is already true is not acted on'],
    });
    expect(await h.count('runs')).toBe(0);
  });

  it('codeVersionChanged() on a never-materialized asset is not true (it is missing, not changed)', async () => {
    const model = (codeVersion: string) =>
      asset({ key: 'ml/model', codeVersion, automation: codeVersionChanged(), materialize: async () => codeVersion });
    h = await startAutomation(backend, [model('v1')], { manualClock: true });
    await h.automation.evaluateAll();
    await h.engine.setGraph(AssetGraph.build([model('v2')]));
    const [decision] = await h.automation.evaluateAll();
    expect(decision).toMatchObject({ requested: false, reasons: ['never materialized: missing, not a code change'] });
    expect(await h.count('runs')).toBe(0);
  });
});
