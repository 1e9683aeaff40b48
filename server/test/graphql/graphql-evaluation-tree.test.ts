import { afterEach, describe, expect, it } from 'vitest';
import { AutomationService } from '../../src/automation/automation-service.js';
import { wireAutomation } from '../../src/automation/automation-wiring.js';
import type { AnyAssetDefinition } from '../../src/sdk/asset.js';
import { asset } from '../../src/sdk/asset.js';
import { and, codeVersionChanged, eager, not } from '../../src/sdk/automation.js';
import { dailyPartitions } from '../../src/sdk/partitions.js';
import { appendEvents } from '../../src/storage/event-log.js';
import { STORAGE_BACKENDS } from '../support/databases.js';
import { waitFor } from '../support/engine-harness.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';

interface Row {
  id: string;
  parentId: string | null;
  depth: number;
  kind: string;
  label: string;
  value: boolean;
  truePartitionCount: number | null;
  candidatePartitionCount: number | null;
  truePartitions: string[] | null;
  candidatePartitions: string[] | null;
  reasons: string[];
}
interface Decision {
  id: string;
  evaluationSize: number | null;
  requested: boolean;
  partition: string | null;
  reasons: string[];
  evaluation: Row[] | null;
}

const DECISIONS = `query ($key: String!) {
  asset(key: $key) {
    decisions(first: 10) {
      id evaluationSize requested partition reasons
      evaluation {
        id parentId depth kind label value truePartitionCount candidatePartitionCount
        truePartitions candidatePartitions(first: 5) reasons
      }
    }
  }
}`;

/** The API with automation wired as `weir dev` wires it: a commit evaluates its downstream at once. */
async function startWithAutomation(backend: (typeof STORAGE_BACKENDS)[number], assets: AnyAssetDefinition[]) {
  const h = await startGraphQL(backend, assets);
  const { engine } = h.engine;
  const automation = new AutomationService({
    dataSource: h.engine.database.dataSource,
    graph: () => engine.graph,
    snapshotId: () => engine.currentSnapshotId(),
    clock: engine.clock,
    start: (runId) => engine.startPlannedRun(runId),
  });
  wireAutomation(engine, automation, { log: () => {} });
  // As `weir dev` does at start: the conditions' first evaluation (which fires nothing), so the
  // commits below are updates the conditions see.
  await automation.evaluateAll();
  return h;
}

async function decisionsOf(h: GraphQLHarness, key: string): Promise<Decision[]> {
  const response = await h.gql<{ asset: { decisions: Decision[] } }>(DECISIONS, { key }, h.tokens.viewer);
  expect(response.errors).toBeUndefined();
  return response.data!.asset.decisions;
}

// A decision's evaluation tree, read as the console reads it: one automated decision made by a
// real commit, its tree flattened depth-first with each node's value, partitions and reasons.
describe.each(STORAGE_BACKENDS)('GraphQL: the evaluation tree of an automation decision (%s)', (backend) => {
  let h: GraphQLHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('returns every node of and(eager(), not(codeVersionChanged())) with its value and reasons', async () => {
    const orders = asset({ key: 'bronze/orders', materialize: async () => [1, 2] });
    const totals = asset({
      key: 'silver/totals',
      deps: { orders },
      codeVersion: 'v1',
      automation: and(eager(), not(codeVersionChanged())),
      materialize: async (_ctx, { orders: rows }) => rows.length,
    });
    h = await startWithAutomation(backend, [orders, totals]);
    await h.engine.engine.waitForRun(
      (await h.engine.engine.requestRun({ selection: 'bronze/orders', trigger: 'manual' })).id,
    );

    const [decision] = await waitFor(async () => {
      const decisions = await decisionsOf(h!, 'silver/totals');
      return decisions.some((d) => d.requested) ? decisions : undefined;
    }, 'the requested decision of silver/totals');
    expect(decision!.requested).toBe(true);
    const rows = decision!.evaluation!;
    // Flattened depth-first: the root first, each node after its parent, one level deeper.
    expect(rows[0]).toMatchObject({ id: '0', parentId: null, depth: 0, kind: 'and', label: 'all of', value: true });
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.size).toBe(rows.length);
    rows.forEach((row, i) => {
      if (i === 0) return;
      const parent = byId.get(row.parentId!)!;
      expect(rows.indexOf(parent)).toBeLessThan(i);
      expect(row.depth).toBe(parent.depth + 1);
    });
    // The root's two children: eager() (its own tree of building blocks) and not(codeVersionChanged()).
    const children = rows.filter((row) => row.parentId === '0');
    expect(children.map((row) => [row.label, row.value])).toEqual([
      ['eager()', true],
      ['not', true],
    ]);
    const updated = rows.find((row) => row.kind === 'anyDepsUpdated')!;
    expect(updated).toMatchObject({ value: true });
    expect(updated.reasons.join(' ')).toMatch(/bronze\/orders/);
    const changed = rows.find((row) => row.kind === 'codeVersionChanged')!;
    expect(changed).toMatchObject({ parentId: children[1]!.id, label: 'code version changed', value: false });
    expect(changed.reasons.join(' ')).toMatch(/never materialized/);
    // Unpartitioned: no partitions at all, rather than empty lists.
    expect(rows.every((row) => row.truePartitions === null && row.truePartitionCount === null)).toBe(true);
    expect(decision!.evaluationSize).toBe(rows.length);
    const size = rows.length;

    // One decision by its id (what the console loads when a reader opens a tree), only under its asset.
    const ONE = `query ($key: String!, $id: ID!) { asset(key: $key) { decision(id: $id) { id evaluationSize evaluation { id label value } } } }`;
    const one = async (key: string, id: string) => {
      const response = await h!.gql<{ asset: { decision: Decision | null } }>(ONE, { key, id }, h!.tokens.viewer);
      expect(response.errors).toBeUndefined();
      return response.data!.asset.decision;
    };
    expect(await one('silver/totals', decision!.id)).toEqual({
      id: decision!.id,
      evaluationSize: size,
      evaluation: rows.map(({ id, label, value }) => ({ id, label, value })),
    });
    expect(await one('bronze/orders', decision!.id)).toBeNull();
    expect(await one('silver/totals', 'not-a-decision')).toBeNull();
  });

  it('gives the partitions each node held for, and null for a decision recorded before trees', async () => {
    const daily = dailyPartitions({ start: '2025-01-01' });
    const up = asset({ key: 'up', partitions: daily, materialize: (ctx) => ctx.partition });
    const down = asset({
      key: 'down',
      partitions: daily,
      deps: { up },
      automation: eager(),
      materialize: async (_ctx, { up: value }) => `${value}!`,
    });
    h = await startWithAutomation(backend, [up, down]);
    // A decision as versions before evaluation trees wrote it (no data.tree).
    await appendEvents(h.engine.database.dataSource.manager, [
      {
        type: 'automation.declined',
        message: 'no run: no upstream updated since the last run',
        assetKey: 'down',
        data: { trigger: { kind: 'deploy' }, reasons: ['no upstream updated since the last run'], runIds: [] },
      },
    ]);
    // eager() acts on the latest time window only: the last complete day.
    const latestDay = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const run = await h.engine.engine.requestRun({ selection: 'up', partitions: [latestDay], trigger: 'manual' });
    await h.engine.engine.waitForRun(run.id);

    const decisions = await waitFor(async () => {
      const found = await decisionsOf(h!, 'down');
      return found[0]?.requested ? found : undefined;
    }, 'the automated decision of down');
    const latest = decisions[0];
    const old = decisions.find((d) => d.evaluation === null);
    expect(old).toMatchObject({
      evaluation: null,
      evaluationSize: null,
      reasons: ['no upstream updated since the last run'],
    });
    expect(latest).toMatchObject({ requested: true, partition: latestDay });
    expect(latest!.evaluation![0]).toMatchObject({
      label: 'eager()',
      value: true,
      truePartitionCount: 1,
      candidatePartitionCount: 1,
      truePartitions: [latestDay],
      candidatePartitions: [latestDay],
    });
  });

  it('refuses a partition page beyond the maximum, naming the argument', async () => {
    const a = asset({ key: 'a', materialize: async () => 1 });
    const b = asset({ key: 'b', deps: { a }, automation: eager(), materialize: async () => 2 });
    h = await startWithAutomation(backend, [a, b]);
    await h.engine.engine.waitForRun((await h.engine.engine.requestRun({ selection: 'a', trigger: 'manual' })).id);
    await waitFor(async () => (await decisionsOf(h!, 'b')).length > 0, 'the decision of b');
    const response = await h.gql(
      `{ asset(key: "b") { decisions(first: 1) { evaluation { truePartitions(first: 100000) } } } }`,
      {},
      h.tokens.viewer,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toMatch(/first must be an integer from 1 to 100/);
  });
});
