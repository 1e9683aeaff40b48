import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSession } from '../../src/api/session';
import BackfillsTable from '../../src/backfills/BackfillsTable.vue';
import type { Backfill } from '../../src/backfills/backfill-queries';
import { progressInWords, progressSegments } from '../../src/backfills/backfill-progress';
import { fakeFetch } from '../support/fake-fetch';
import { at, T0 } from '../support/fixtures';
import { testRouter } from '../support/test-router';

function backfill(overrides: Partial<Backfill> = {}): Backfill {
  return {
    id: '3f2b9c1e-0000-4000-8000-000000000001',
    selection: 'gold/daily_orders',
    status: 'SUCCEEDED',
    retries: 0,
    maxConcurrentRuns: 4,
    createdAt: at(0),
    endedAt: at(90_000),
    total: 3,
    counts: { pending: 0, running: 0, succeeded: 3, failed: 0 },
    partitions: [
      { key: '2025-01-01', status: 'succeeded', runId: 'run-1', error: null },
      { key: '2025-01-02', status: 'succeeded', runId: 'run-2', error: null },
      { key: '2025-01-03', status: 'succeeded', runId: 'run-3', error: null },
    ],
    ...overrides,
  };
}

const failed = backfill({
  id: '3f2b9c1e-0000-4000-8000-000000000002',
  status: 'FAILED',
  retries: 1,
  counts: { pending: 0, running: 0, succeeded: 2, failed: 1 },
  partitions: [
    { key: '2025-01-01', status: 'succeeded', runId: 'run-1', error: null },
    { key: '2025-01-02', status: 'failed', runId: 'run-2b', error: 'gold/daily_orders: no data for 2025-01-02' },
    { key: '2025-01-03', status: 'succeeded', runId: 'run-3', error: null },
  ],
});

async function signInAs(role: string) {
  fakeFetch(() => ({ body: { tokenId: 't', name: 'someone', role } }));
  await useSession().refresh();
}

async function mountTable(backfills: Backfill[]) {
  const router = await testRouter('/backfills');
  return mount(BackfillsTable, { props: { backfills, now: T0 + 120_000 }, global: { plugins: [router] } });
}

describe('backfill progress', () => {
  it('splits the bar by partition status and says it in words', () => {
    const running = { total: 10, counts: { pending: 3, running: 2, succeeded: 4, failed: 1 } };
    expect(progressSegments(running).map((s) => [s.status, s.percent])).toEqual([
      ['succeeded', 40],
      ['failed', 10],
      ['running', 20],
      ['pending', 30],
    ]);
    expect(progressInWords(running)).toBe('5 of 10 partitions done: 4 succeeded, 1 failed; 2 running, 3 waiting');
    expect(progressInWords({ total: 3, counts: { pending: 0, running: 0, succeeded: 3, failed: 0 } })).toBe(
      '3 of 3 partitions done: 3 succeeded',
    );
    expect(progressSegments({ total: 0, counts: { pending: 0, running: 0, succeeded: 0, failed: 0 } })).toEqual([]);
  });
});

describe('BackfillsTable', () => {
  beforeEach(() => useSession().forget());

  it('shows each backfill with its status, progress bar, duration and failed partitions', async () => {
    await signInAs('viewer');
    const wrapper = await mountTable([backfill(), failed]);
    const rows = wrapper.findAll('tbody tr');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain('gold/daily_orders');
    expect(rows[0]!.find('.status-badge').text()).toBe('Succeeded');
    expect(rows[0]!.find('[role="progressbar"]').attributes()).toMatchObject({
      'aria-valuenow': '3',
      'aria-valuemax': '3',
      'aria-valuetext': '3 of 3 partitions done: 3 succeeded',
    });
    expect(rows[0]!.text()).toContain('1m 30s');
    expect(rows[0]!.find('details').exists()).toBe(false);

    expect(rows[1]!.find('.status-badge').classes()).toContain('tone-danger');
    expect(rows[1]!.text()).toContain('retried 1 time');
    const failures = rows[1]!.get('details');
    expect(failures.get('summary').text()).toBe('1 failed partition(s)');
    expect(failures.text()).toContain('no data for 2025-01-02');
    expect(failures.get('a').attributes('href')).toBe('/runs/run-2b');
    // A viewer sees no retry button.
    expect(wrapper.findAll('button')).toHaveLength(0);
  });

  it('offers an operator to retry the failed partitions, and reports the retry', async () => {
    await signInAs('operator');
    const wrapper = await mountTable([backfill(), failed]);
    const buttons = wrapper.findAll('button');
    expect(buttons.map((b) => b.text())).toEqual(['Retry 1 failed partition']);

    const retried = {
      ...failed,
      status: 'RUNNING',
      retries: 2,
      counts: { pending: 0, running: 1, succeeded: 2, failed: 0 },
    };
    const { requests } = fakeFetch(() => ({ body: { data: { retryBackfill: retried } } }));
    await buttons[0]!.trigger('click');
    await flushPromises();
    expect(requests[0]!.body).toMatchObject({ variables: { id: failed.id } });
    expect(String((requests[0]!.body as { query: string }).query)).toContain('retryBackfill');
    expect(wrapper.emitted('retried')).toEqual([[retried]]);
    expect(wrapper.text()).toContain('Retrying 1 partition(s)');
  });

  it('explains a refused retry', async () => {
    await signInAs('admin');
    const wrapper = await mountTable([failed]);
    fakeFetch(() => ({
      body: { errors: [{ message: `backfill ${failed.id} is running`, extensions: { code: 'CONFLICT' } }] },
    }));
    await wrapper.get('button').trigger('click');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('is running');
    expect(wrapper.emitted('retried')).toBeUndefined();
  });
});
