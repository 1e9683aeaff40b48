// The asset page against a fake API: its sections, Materialize for operators, and its error state.
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { useSession } from '../../src/api/session';
import type { AssetDetail, MaterializationRow } from '../../src/assets-detail/asset-detail-queries';
import AssetPage from '../../src/pages/AssetPage.vue';
import { fakeFetch, type RecordedRequest } from '../support/fake-fetch';
import { testRouter } from '../support/test-router';

vi.mock('../../src/api/subscriptions', () => ({ subscribe: () => () => undefined }));

const asset: AssetDetail = {
  key: 'silver/orders',
  kind: 'ASSET',
  group: 'silver',
  owners: ['data-eng'],
  tags: [{ key: 'tier', value: 'gold' }],
  description: 'Cleaned orders',
  codeVersion: 'v3',
  definedAt: 'assets/silver/orders.ts:12',
  deps: ['bronze/orders_raw'],
  dependents: ['gold/revenue'],
  pool: null,
  automation: 'eager()',
  partitionsDefinition: 'daily from 2026-11-19 (UTC)',
  status: 'STALE',
  stale: true,
  staleReasons: ['upstream bronze/orders_raw was materialized after this asset'],
  running: false,
  lastMaterialization: {
    id: 'm1',
    runId: 'run-aaaa1111',
    createdAt: '2026-11-21T08:00:00.000Z',
    partitionKey: '2026-11-20',
  },
  metadataSeries: [
    {
      name: 'row_count',
      points: [
        { at: '2026-11-20T08:00:00.000Z', value: 10, runId: 'run-1' },
        { at: '2026-11-21T08:00:00.000Z', value: 12, runId: 'run-2' },
      ],
    },
  ],
  partitions: [
    { key: '2026-11-19', status: 'MATERIALIZED', materializedAt: '2026-11-20T01:00:00.000Z', runId: 'run-1' },
    { key: '2026-11-20', status: 'FAILED', materializedAt: null, runId: 'run-2' },
    { key: '2026-11-21', status: 'MISSING', materializedAt: null, runId: null },
  ],
  checks: [
    {
      name: 'not_null_id',
      severity: 'ERROR',
      description: null,
      latest: { passed: false, message: '3 nulls', createdAt: null, runId: null },
    },
  ],
  freshness: null,
  freshnessHistory: [],
  decisions: [
    {
      id: 'd1',
      at: '2026-11-21T09:00:00.000Z',
      requested: false,
      reasons: ['waiting for bronze/orders_raw'],
      runId: null,
      partition: null,
      trigger: 'eager',
      evaluationSize: null,
    },
    {
      id: 'd2',
      at: '2026-11-21T08:00:00.000Z',
      requested: true,
      reasons: ['upstream bronze/orders_raw updated'],
      runId: 'run-aaaa1111',
      partition: '2026-11-20',
      trigger: 'eager',
      evaluationSize: null,
    },
  ],
};

const row = (i: number): MaterializationRow => ({
  id: `m${i}`,
  runId: `run-${i}-xxxx`,
  stepId: `s${i}`,
  partitionKey: '2026-11-20',
  createdAt: '2026-11-21T08:00:00.000Z',
  codeVersion: 'v3',
  dataVersion: 'abcdef0123456789',
  output: { valueType: 'json', size: 2048, uri: null, metadata: { row_count: 1200, note: 'ok' } },
  checks: [{ checkName: 'not_null_id', passed: false }],
});

function serve(role: 'viewer' | 'operator', detail: 'ok' | 'missing' = 'ok') {
  return fakeFetch((request: RecordedRequest) => {
    if (request.url === '/api/session') return { body: { tokenId: 't', name: 'someone', role } };
    const { query, variables } = request.body as { query: string; variables: Record<string, unknown> };
    if (query.includes('ConsoleAssetDetail')) {
      if (detail === 'missing') {
        return {
          body: {
            errors: [
              { message: 'No asset "silver/order". Did you mean "silver/orders"?', extensions: { code: 'NOT_FOUND' } },
            ],
          },
        };
      }
      return { body: { data: { asset } } };
    }
    if (query.includes('ConsoleAssetMaterializations')) {
      const nodes = variables.after ? [row(3)] : [row(1), row(2)];
      return {
        body: {
          data: {
            asset: {
              key: asset.key,
              materializations: { nodes, pageInfo: { hasNextPage: !variables.after, endCursor: 'c2' } },
            },
          },
        },
      };
    }
    // The selection takes no run config: the button launches without the dialog.
    if (query.includes('ConsoleRunConfigSchemas')) return { body: { data: { runConfigSchemas: [] } } };
    if (query.includes('ConsoleMaterialize'))
      return { body: { data: { materialize: { id: 'run-new-123456', status: 'QUEUED' } } } };
    return { status: 400, body: { errors: [{ message: 'unexpected', extensions: { code: 'BAD_USER_INPUT' } }] } };
  });
}

async function mountPage(path = '/assets/silver/orders') {
  await useSession().refresh();
  const router = await testRouter(path);
  const wrapper = mount(AssetPage, { global: { plugins: [router] } });
  await flushPromises();
  return { wrapper, router };
}

describe('AssetPage', () => {
  it('shows staleness, metadata, partitions, checks, decisions and history', async () => {
    serve('viewer');
    const { wrapper } = await mountPage();
    const text = wrapper.text();
    expect(wrapper.get('h1').text()).toBe('silver/orders');
    expect(text).toContain('upstream bronze/orders_raw was materialized after this asset');
    expect(wrapper.findAll('[data-partition]')).toHaveLength(3);
    expect(wrapper.get('[data-testid="metadata-line"]').attributes('d')).toMatch(/^M/);
    expect(text).toContain('3 nulls');
    expect(text).toContain('Declined: waiting for bronze/orders_raw');
    expect(text).toContain('Requested: upstream bronze/orders_raw updated');
    expect(text).toContain('No freshness policy');
    expect(wrapper.findAll('.materialization-history tbody tr')).toHaveLength(2);
    expect(text).toContain('row_count: 1200');

    await wrapper.get('nav[aria-label="Materialization pages"] button:last-child').trigger('click');
    await flushPromises();
    expect(wrapper.findAll('.materialization-history tbody tr')).toHaveLength(1);
  });

  it('shows no Materialize button to viewers', async () => {
    serve('viewer');
    const { wrapper } = await mountPage();
    expect(wrapper.findAll('button').some((b) => b.text().startsWith('Materialize'))).toBe(false);
    // Partition cells are not buttons for them either.
    expect(wrapper.get('[data-partition="2026-11-21"]').element.tagName).toBe('SPAN');
  });

  it('lets operators materialize the partitions they pick, and links to the new run', async () => {
    const { requests } = serve('operator');
    const { wrapper } = await mountPage();
    await wrapper.get('[data-partition="2026-11-21"]').trigger('click');
    await wrapper.get('[data-partition="2026-11-20"]').trigger('click');
    const button = wrapper.findAll('button').find((b) => b.text() === 'Materialize 2 partitions')!;
    await button.trigger('click');
    await flushPromises();

    const mutation = requests.find((r) => (r.body as { query?: string })?.query?.includes('ConsoleMaterialize'))!;
    expect((mutation.body as { variables: unknown }).variables).toEqual({
      selection: 'silver/orders',
      partitions: ['2026-11-21', '2026-11-20'],
    });
    expect(wrapper.get('.materialize [role="status"]').text()).toContain('run-new-');
    expect(wrapper.get('.materialize a').attributes('href')).toBe('/runs/run-new-123456');
  });

  it('explains a missing asset and links back to the lineage', async () => {
    serve('viewer', 'missing');
    const { wrapper } = await mountPage('/assets/silver/order');
    const alert = wrapper.get('[role="alert"]');
    expect(alert.text()).toContain('Did you mean "silver/orders"?');
    expect(alert.text()).toContain('No asset silver/order');
    expect(alert.text()).toContain('Code: NOT_FOUND');
    expect(alert.get('a').attributes('href')).toBe('/');
  });
});
