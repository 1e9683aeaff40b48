import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { AutomationDecision, EvaluationRow } from '../../src/assets-detail/asset-detail-queries';
import AutomationDecisions from '../../src/assets-detail/AutomationDecisions.vue';
import { describeTrigger } from '../../src/assets-detail/decision-trigger';
import { buildEvaluationTree, initiallyExpanded, partitionSummary } from '../../src/assets-detail/evaluation-tree';
import { fakeFetch } from '../support/fake-fetch';

const row = (id: string, parentId: string | null, label: string, value: boolean, reasons: string[] = []) =>
  ({
    id,
    parentId,
    depth: id.split('.').length - 1,
    kind: label,
    label,
    value,
    truePartitionCount: null,
    candidatePartitionCount: null,
    truePartitions: null,
    reasons,
  }) satisfies EvaluationRow;

// and(eager(), not(codeVersionChanged())), flat and depth-first as the API returns it.
const ROWS: EvaluationRow[] = [
  row('0', null, 'all of', true, ['2 of 2 true']),
  row('0.0', '0', 'eager', true, ['upstream bronze/orders updated']),
  row('0.1', '0', 'not', true, ['its condition is false']),
  row('0.1.0', '0.1', 'code version changed', false, ['never materialized: missing, not a code change']),
];

const decision = (id: string, evaluation: EvaluationRow[] | null): AutomationDecision => ({
  id,
  at: '2026-11-21T09:00:00.000Z',
  requested: evaluation !== null,
  reasons: [`reasons of ${id}`],
  runId: null,
  partition: null,
  trigger: 'upstream',
  evaluationSize: evaluation?.length ?? null,
});

/** The API: each decision's tree by id, as `Asset.decision` answers it. */
function serveTrees(trees: Record<string, EvaluationRow[]>) {
  return fakeFetch((request) => {
    const { variables } = request.body as { variables: { key: string; id: string } };
    const evaluation = trees[variables.id] ?? null;
    return { body: { data: { asset: { key: variables.key, decision: { id: variables.id, evaluation } } } } };
  });
}

describe('evaluation tree helpers', () => {
  it('rebuilds the tree from the flat rows, children in their order', () => {
    const [root, ...others] = buildEvaluationTree(ROWS);
    expect(others).toEqual([]);
    expect(root!.label).toBe('all of');
    expect(root!.children.map((child) => child.label)).toEqual(['eager', 'not']);
    expect(root!.children[1]!.children.map((child) => [child.label, child.value])).toEqual([
      ['code version changed', false],
    ]);
  });

  it('keeps a row whose parent is missing, as a root', () => {
    const roots = buildEvaluationTree([ROWS[0]!, row('9.0', '9', 'orphan', false)]);
    expect(roots.map((node) => node.label)).toEqual(['all of', 'orphan']);
  });

  it('says how many partitions a node held for, or nothing when unpartitioned', () => {
    expect(partitionSummary({ truePartitionCount: 3, candidatePartitionCount: 24 })).toBe('3 of 24 partitions');
    expect(partitionSummary({ truePartitionCount: 0, candidatePartitionCount: 1 })).toBe('0 of 1 partition');
    expect(partitionSummary({ truePartitionCount: null, candidatePartitionCount: null })).toBeNull();
  });

  it('opens the newest decision that has a tree', () => {
    expect(initiallyExpanded([decision('old', null), decision('new', ROWS)])).toBe('new');
    expect(initiallyExpanded([decision('old', null)])).toBeUndefined();
  });
});

describe('decision triggers in words', () => {
  it('reads the recorded trigger, and shows anything else as it is', () => {
    expect(describeTrigger('{"kind":"upstream"}')).toBe('after an upstream update');
    expect(describeTrigger('{"kind":"deploy"}')).toBe('at deploy');
    expect(describeTrigger('{"kind":"cron","schedule":"0 6 * * *","tick":"2026-12-07T06:00:00.000Z"}')).toBe(
      'at the 0 6 * * * tick',
    );
    expect(describeTrigger('eager')).toBe('eager');
    expect(describeTrigger(null)).toBeNull();
  });
});

describe('AutomationDecisions with evaluation trees', () => {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/runs/:id', name: 'run', component: {} }],
  });
  const mountDecisions = async (decisions: AutomationDecision[]) => {
    const wrapper = mount(AutomationDecisions, {
      props: { assetKey: 'silver/totals', decisions },
      global: { plugins: [router] },
    });
    await flushPromises();
    return wrapper;
  };

  it('draws the newest tree, nested, with values and reasons; older decisions keep their flat reasons', async () => {
    const { requests } = serveTrees({ d2: ROWS });
    const wrapper = await mountDecisions([decision('d2', ROWS), decision('d1', null)]);
    // Only the open decision's tree is loaded, by its id under its asset.
    expect(requests.map((r) => (r.body as { variables: unknown }).variables)).toEqual([
      { key: 'silver/totals', id: 'd2' },
    ]);
    const tree = wrapper.get('[data-testid="evaluation-tree"]');
    const nodes = tree.findAll('[data-node-id]');
    expect(nodes.map((node) => [node.attributes('data-node-id'), node.attributes('data-value')])).toEqual([
      ['0', 'true'],
      ['0.0', 'true'],
      ['0.1', 'true'],
      ['0.1.0', 'false'],
    ]);
    // Nested: the negated leaf sits inside the not() node.
    expect(tree.get('[data-node-id="0.1"]').find('[data-node-id="0.1.0"]').exists()).toBe(true);
    expect(tree.get('[data-node-id="0.1.0"]').text()).toContain('False');
    expect(tree.get('[data-node-id="0.1.0"]').text()).toContain('never materialized: missing, not a code change');
    // The open decision shows its tree instead of its one-line reasons; the old one its reasons.
    expect(wrapper.text()).not.toContain('reasons of d2');
    expect(wrapper.text()).toContain('Declined: reasons of d1');
    expect(wrapper.findAll('button.tree-toggle')).toHaveLength(1);

    await wrapper.get('button.tree-toggle').trigger('click');
    expect(wrapper.find('[data-testid="evaluation-tree"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('Requested: reasons of d2');
    expect(wrapper.get('button.tree-toggle').attributes('aria-expanded')).toBe('false');
  });

  it('shows the first reasons of a node, and the rest on demand', async () => {
    const reasons = Array.from({ length: 8 }, (_, day) => `[2026-12-0${day + 1}] upstream up updated`);
    serveTrees({ d4: [row('0', null, 'eager', true, reasons)] });
    const wrapper = await mountDecisions([decision('d4', [row('0', null, 'eager', true, reasons)])]);
    const shown = () => wrapper.findAll('.reasons li').map((item) => item.text());
    expect(shown()).toEqual([...reasons.slice(0, 5), '3 more reasons']);
    await wrapper.get('.reasons button').trigger('click');
    expect(shown()).toEqual(reasons);
  });

  it('says so when a tree cannot be loaded', async () => {
    fakeFetch(() => ({
      body: { errors: [{ message: 'database is down', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
    }));
    const wrapper = await mountDecisions([decision('d3', ROWS)]);
    expect(wrapper.get('[role="alert"]').text()).toContain('Could not load the evaluation tree');
    expect(wrapper.find('[data-testid="evaluation-tree"]').exists()).toBe(false);
  });
});
