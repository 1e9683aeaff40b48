import { afterEach, describe, expect, it } from 'vitest';
import { deliverUpstreamEvent } from '../../src/automation/upstream-events.js';
import { AssetGraph } from '../../src/graph/asset-graph.js';
import { asset } from '../../src/sdk/asset.js';
import { NonRetryableError } from '../../src/sdk/retry.js';
import {
  allUpstreamsUpdated,
  and,
  codeVersionChanged,
  eager,
  not,
  onCron,
  onMissing,
  or,
} from '../../src/sdk/automation.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startAutomation, type AutomationHarness } from '../support/automation-harness.js';
import { waitFor } from '../support/engine-harness.js';

const materialize = async (h: AutomationHarness, selection: string) =>
  h.engine.waitForRun((await h.engine.requestRun({ selection, trigger: 'manual' })).id);

// Style: given this graph, these events and this time → these run requests and these reasons.
describe.each(STORAGE_BACKENDS)('automation scenarios (%s)', (backend) => {
  let h: AutomationHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('eager(): an upstream commit requests the downstream at once, consuming the event', async () => {
    const a = asset({ key: 'a', materialize: async () => 1 });
    const b = asset({ key: 'b', deps: { a }, automation: eager(), materialize: async (_c, { a: v }) => v + 1 });
    h = await startAutomation(backend, [a, b]);
    await materialize(h, 'a');
    await h.settle();
    const runs = await h.runsOf('b');
    expect(runs).toEqual([expect.objectContaining({ trigger: 'upstream', status: 'succeeded' })]);
    const [decision] = await h.decisions('b');
    expect(decision!.type).toBe('automation.requested');
    expect(decision!.message).toMatch(/upstream a updated \(1 event\(s\), latest at/);
    expect(decision!.data.consumedEventIds).toHaveLength(1);
    // Nothing new since: a second evaluation declines, and says why.
    const again = await h.automation.evaluate('b', { kind: 'upstream' });
    expect(again).toMatchObject({ requested: false, reasons: ['no upstream updated since the last run'] });
  });

  it('eager(): waits while another upstream is in progress, then coalesces both events into one run', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const a = asset({ key: 'a', materialize: async () => 1 });
    const c = asset({ key: 'c', materialize: async () => (await gate, 2) });
    const b = asset({ key: 'b', deps: { a, c }, automation: eager(), materialize: async (_x, i) => i.a + i.c });
    h = await startAutomation(backend, [a, c, b]);
    const slow = await h.engine.requestRun({ selection: 'c', trigger: 'manual' });
    await materialize(h, 'a');
    await h.automation.evaluate('b', { kind: 'upstream' });
    const waiting = (await h.decisions('b')).map((d) => d.message);
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((m) => m.includes('waiting: upstream c in progress'))).toBe(true);
    expect(await h.runsOf('b')).toEqual([]);
    release();
    await h.engine.waitForRun(slow.id);
    await h.settle();
    const runs = await h.runsOf('b');
    expect(runs).toHaveLength(1);
    const requested = (await h.decisions('b')).filter((d) => d.type === 'automation.requested');
    expect(requested).toHaveLength(1);
    expect(requested[0]!.data.consumedEventIds).toHaveLength(2);
  });

  it('eager(): an event held back by an upstream in progress runs once that upstream fails', async () => {
    let release!: () => void;
    let gate = Promise.resolve();
    const a = asset({ key: 'a', materialize: async () => 1 });
    const c = asset({
      key: 'c',
      materialize: async (ctx) => {
        await gate;
        if (ctx.runId !== firstRunOfC) throw new NonRetryableError('source of c is down');
        return 2;
      },
    });
    const b = asset({ key: 'b', deps: { a, c }, automation: eager(), materialize: async (_x, i) => i.a + i.c });
    let firstRunOfC = '';
    h = await startAutomation(backend, [a, c, b]);
    // c has data (its first run), and b ran once for it.
    firstRunOfC = (await h.engine.requestRun({ selection: 'c', trigger: 'manual' })).id;
    await h.engine.waitForRun(firstRunOfC);
    await materialize(h, 'a');
    await h.settle();
    expect(await h.runsOf('b')).toHaveLength(1);

    // c runs again (and will fail); meanwhile a is updated: b waits for c.
    gate = new Promise<void>((resolve) => (release = resolve));
    const failing = await h.engine.requestRun({ selection: 'c', trigger: 'manual' });
    await materialize(h, 'a');
    // (Not settle(): c's run is held open until release.)
    const held = await waitFor(async () => {
      const last = (await h!.decisions('b')).at(-1)!;
      return last.message.includes('waiting: upstream c in progress') && last;
    }, "b's evaluation after a's second update");
    expect(held.type).toBe('automation.declined');
    expect(await h.runsOf('b')).toHaveLength(1);

    // c fails: nothing is materialized, yet b is evaluated again and runs for a's event.
    release();
    expect((await h.engine.waitForRun(failing.id)).status).toBe('failed');
    await h.settle();
    const runs = await h.runsOf('b');
    expect(runs).toHaveLength(2);
    expect(runs[1]).toMatchObject({ trigger: 'upstream', status: 'succeeded' });
    const last = (await h.decisions('b')).at(-1)!;
    expect(last.type).toBe('automation.requested');
    expect(last.data.consumedEventIds).toHaveLength(1);
  });

  it('the sweep evaluates events nobody evaluated (their committer died), and nothing else', async () => {
    const a = asset({ key: 'a', materialize: async () => 1 });
    const b = asset({ key: 'b', deps: { a }, automation: eager(), materialize: async (_c, { a: v }) => v + 1 });
    h = await startAutomation(backend, [a, b]);
    await materialize(h, 'a');
    await h.settle();
    expect(await h.runsOf('b')).toHaveLength(1);
    // A healthy deployment: nothing to sweep, nothing written.
    const decisionsBefore = (await h.decisions('b')).length;
    expect(await h.automation.sweepUnevaluated(0)).toEqual([]);
    expect(await h.decisions('b')).toHaveLength(decisionsBefore);

    // An event committed by a process that died before evaluating it.
    await h.database.dataSource.transaction((m) =>
      deliverUpstreamEvent(m, AssetGraph.build([a, b]), { assetKey: 'a', partitionKey: '' }),
    );
    // Younger than the grace period: left to its committer.
    expect(await h.automation.sweepUnevaluated(60_000)).toEqual([]);
    const [swept] = await h.automation.sweepUnevaluated(0);
    expect(swept).toMatchObject({ assetKey: 'b', requested: true });
    expect(swept!.consumedEventIds).toHaveLength(1);
    await h.settle();
    expect(await h.runsOf('b')).toHaveLength(2);
    expect(await h.automation.sweepUnevaluated(0)).toEqual([]);
  });

  it('eager(): an upstream event already reflected by a manual run does not run the asset again', async () => {
    const a = asset({ key: 'a', materialize: async () => 1 });
    const b = asset({ key: 'b', deps: { a }, automation: eager(), materialize: async () => 2 });
    h = await startAutomation(backend, [a, b]);
    // One manual run of both: b is in progress when a commits, then reads a's new output.
    await materialize(h, '*');
    await h.settle();
    const decision = await h.automation.evaluate('b', { kind: 'upstream' });
    expect(decision).toMatchObject({ requested: false, reasons: ['no upstream updated since the last run'] });
    expect(await h.runsOf('b')).toEqual([expect.objectContaining({ trigger: 'manual' })]);
  });

  it('eager(): declines while an upstream was never materialized', async () => {
    const a = asset({ key: 'a', materialize: async () => 1 });
    const c = asset({ key: 'c', materialize: async () => 2 });
    const b = asset({ key: 'b', deps: { a, c }, automation: eager(), materialize: async () => 3 });
    h = await startAutomation(backend, [a, c, b]);
    await materialize(h, 'a');
    await h.settle();
    expect(await h.runsOf('b')).toEqual([]);
    expect((await h.decisions('b'))[0]!.message).toContain('waiting: upstream c never materialized');
  });

  it('allUpstreamsUpdated(): runs only once every upstream was updated', async () => {
    const a = asset({ key: 'a', materialize: async () => 1 });
    const c = asset({ key: 'c', materialize: async () => 2 });
    const d = asset({
      key: 'd',
      deps: { a, c },
      automation: allUpstreamsUpdated(),
      materialize: async (_x, i) => i.a + i.c,
    });
    h = await startAutomation(backend, [a, c, d]);
    await materialize(h, 'a');
    await h.settle();
    expect(await h.runsOf('d')).toEqual([]);
    expect((await h.decisions('d'))[0]!.message).toContain('waiting: c not updated yet (updated: a)');
    await materialize(h, 'c');
    await h.settle();
    expect(await h.runsOf('d')).toHaveLength(1);
    expect((await h.decisions('d')).find((x) => x.type === 'automation.requested')!.data.consumedEventIds).toHaveLength(
      2,
    );
  });

  it('eager({ runPerEvent: true }): one run per pending event', async () => {
    const a = asset({ key: 'a', materialize: async () => 1 });
    const e = asset({ key: 'e', deps: { a }, automation: eager({ runPerEvent: true }), materialize: async () => 1 });
    h = await startAutomation(backend, [a, e]);
    await materialize(h, 'a');
    await h.settle();
    // Two more events arrive before anything evaluates them.
    const graph = AssetGraph.build([a, e]);
    await h.database.dataSource.transaction(async (m) => {
      await deliverUpstreamEvent(m, graph, { assetKey: 'a', partitionKey: '' });
      await deliverUpstreamEvent(m, graph, { assetKey: 'a', partitionKey: '' });
    });
    const decision = await h.automation.evaluate('e', { kind: 'upstream' });
    expect(decision.runIds).toHaveLength(2);
    expect(decision.consumedEventIds).toHaveLength(2);
    await h.settle();
    expect(await h.runsOf('e')).toHaveLength(3);
  });

  // Issue 14: Dagster's on_missing is "newly missing since last handled". Before, onMissing()
  // ran a never-materialized asset at deploy: adding it to an asset backfilled it.
  it('onMissing() does not run an asset that was already missing when the condition was added', async () => {
    const m = asset({ key: 'm', automation: onMissing(), materialize: async () => 1 });
    h = await startAutomation(backend, [m], { evaluateAtStart: false });
    const [first] = await h.automation.evaluateAll();
    expect(first).toMatchObject({
      requested: false,
      reasons: ['first evaluation of this condition: what is already true is not acted on'],
    });
    const [second] = await h.automation.evaluateAll();
    expect(second).toMatchObject({ requested: false, reasons: ['missing since before the previous evaluation'] });
    expect(await h.count('runs')).toBe(0);
  });

  it('codeVersionChanged() runs when a deploy changes the code version', async () => {
    const v1 = asset({ key: 'model', codeVersion: 'v1', automation: codeVersionChanged(), materialize: async () => 1 });
    h = await startAutomation(backend, [v1]);
    await materialize(h, 'model');
    expect((await h.automation.evaluateAll())[0]).toMatchObject({ requested: false });
    const v2 = asset({ key: 'model', codeVersion: 'v2', automation: codeVersionChanged(), materialize: async () => 2 });
    await h.engine.setGraph(AssetGraph.build([v2]));
    const [decision] = await h.automation.evaluateAll();
    expect(decision).toMatchObject({ requested: true, reasons: ['code version changed from v1 to v2'] });
  });

  it('combinators: and(onCron, allUpstreamsUpdated) after a tick, or(onMissing, eager), not()', async () => {
    const a = asset({ key: 'a', materialize: async () => 1 });
    const hourly = onCron('0 * * * *');
    const gated = asset({
      key: 'gated',
      deps: { a },
      automation: and(hourly, allUpstreamsUpdated()),
      materialize: async () => 1,
    });
    const either = asset({
      key: 'either',
      deps: { a },
      automation: or(onMissing(), eager()),
      materialize: async () => 1,
    });
    const negated = asset({
      key: 'negated',
      deps: { a },
      automation: and(eager(), not(eager())),
      materialize: async () => 1,
    });
    h = await startAutomation(backend, [a, gated, either, negated]);
    const tick = new Date('2026-01-01T10:00:00Z');
    const declined = await h.automation.evaluate('gated', { kind: 'cron', expression: '0 * * * *', tick });
    // Issue 14: onCron() waits after its tick for every dep to be updated since the tick.
    expect(declined.requested).toBe(false);
    expect(declined.reasons.join('; ')).toContain('waiting for dep a since the 2026-01-01T10:00:00.000Z tick');
    // onMissing() does not backfill what was missing when it was added (issue 14): `either`
    // waits for its first upstream update.
    expect((await h.automation.evaluateAll()).find((d) => d.assetKey === 'either')).toMatchObject({
      requested: false,
      reasons: [
        'missing since before the previous evaluation',
        'waiting: upstream a never materialized',
        'no upstream updated since the last run',
      ],
    });
    await h.settle();
    await materialize(h, 'a');
    await h.settle();
    // The upstream landing after the tick completes it: the tick's run, once.
    const [ran] = (await h.decisions('gated')).filter((d) => d.type === 'automation.requested');
    expect(ran!.message).toContain('cron tick 2026-01-01T10:00:00.000Z (0 * * * *, UTC)');
    expect((await h.runsOf('gated')).map((r) => r.trigger)).toEqual(['schedule']);
    // The next tick waits for a again; the same tick evaluated twice (a failover) runs nothing.
    for (let i = 0; i < 2; i++) {
      const onTick = await h.automation.evaluate('gated', {
        kind: 'cron',
        expression: '0 * * * *',
        tick: new Date('2026-01-01T11:00:00Z'),
      });
      expect(onTick).toMatchObject({ requested: false, runIds: [] });
      expect(onTick.reasons.join('; ')).toContain('waiting for dep a since the 2026-01-01T11:00:00.000Z tick');
    }
    expect((await h.runsOf('gated')).map((r) => r.trigger)).toEqual(['schedule']);
    expect((await h.runsOf('either')).map((r) => r.trigger)).toEqual(['upstream']);
    // `and(eager(), not(eager()))` can never pass: not() negates its operand.
    expect(await h.runsOf('negated')).toEqual([]);
    expect((await h.decisions('negated')).at(-1)!.message).toContain('not (upstream a updated');
  });
});
