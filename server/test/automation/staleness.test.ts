import { afterEach, describe, expect, it } from 'vitest';
import { computeStaleness } from '../../src/automation/staleness.js';
import { AssetGraph } from '../../src/graph/asset-graph.js';
import { asset } from '../../src/sdk/asset.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

describe.each(STORAGE_BACKENDS)('staleness (%s)', (backend) => {
  let h: EngineHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('is stale after an upstream update or a code version change, and says why', async () => {
    const a = asset({ key: 'a', materialize: async () => 1 });
    const b = asset({ key: 'b', deps: { a }, codeVersion: 'v1', materialize: async () => 2 });
    h = await startEngine(backend, [a, b]);
    const staleness = async () =>
      Object.fromEntries(
        (await computeStaleness(h!.database.dataSource.manager, h!.engine.graph)).map((s) => [s.assetKey, s]),
      );
    expect((await staleness()).b).toMatchObject({ lastUpdatedAt: null, stale: false });
    await h.engine.waitForRun((await h.engine.requestRun({ selection: '*', trigger: 'manual' })).id);
    expect((await staleness()).b).toMatchObject({ stale: false, reasons: [] });
    await h.engine.waitForRun((await h.engine.requestRun({ selection: 'a', trigger: 'manual' })).id);
    const afterUpstream = (await staleness()).b!;
    expect(afterUpstream.stale).toBe(true);
    expect(afterUpstream.reasons[0]).toMatch(/^upstream a updated at .*, after /);
    await h.engine.waitForRun((await h.engine.requestRun({ selection: 'b', trigger: 'manual' })).id);
    expect((await staleness()).b!.stale).toBe(false);
    const b2 = asset({ key: 'b', deps: { a }, codeVersion: 'v2', materialize: async () => 2 });
    await h.engine.setGraph(AssetGraph.build([a, b2]));
    expect((await staleness()).b).toMatchObject({ stale: true, reasons: ['code version changed from v1 to v2'] });
  });
});
