import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import RunsPage from '../../src/pages/RunsPage.vue';
import { fakeFetch } from '../support/fake-fetch';
import { runSummary } from '../support/fixtures';
import { testRouter } from '../support/test-router';

// No WebSocket in tests: the live refresh is covered by its own unit.
vi.mock('../../src/api/subscriptions', () => ({ subscribe: vi.fn(() => () => undefined) }));

function runsAnswer(hasNextPage: boolean, endCursor: string | null, ids: string[]) {
  return {
    body: {
      data: { runs: { nodes: ids.map((id) => runSummary({ id })), pageInfo: { hasNextPage, endCursor } } },
    },
  };
}

describe('RunsPage', () => {
  it('turns the URL query into the runs filter', async () => {
    const { requests } = fakeFetch(() => runsAnswer(false, null, ['r1']));
    const router = await testRouter('/runs?status=FAILED&status=RUNNING&asset=orders&trigger=SCHEDULE&cursor=c1');
    mount(RunsPage, { global: { plugins: [router] } });
    await flushPromises();

    expect(requests[0]!.body).toMatchObject({
      variables: {
        filter: { status: ['FAILED', 'RUNNING'], asset: 'orders', trigger: ['SCHEDULE'] },
        after: 'c1',
      },
    });
  });

  it('ignores values in the URL that are not statuses', async () => {
    const { requests } = fakeFetch(() => runsAnswer(false, null, []));
    mount(RunsPage, { global: { plugins: [await testRouter('/runs?status=EXPLODED')] } });
    await flushPromises();
    expect((requests[0]!.body as { variables: { filter: object } }).variables.filter).toEqual({});
  });

  it('keeps the page in the URL: older pushes the cursor, newer comes back', async () => {
    fakeFetch(({ body }) =>
      (body as { variables: { after: string | null } }).variables.after
        ? runsAnswer(false, null, ['r3'])
        : runsAnswer(true, 'cursor-2', ['r1', 'r2']),
    );
    const router = await testRouter('/runs?status=FAILED');
    const wrapper = mount(RunsPage, { global: { plugins: [router] } });
    await flushPromises();
    expect(wrapper.findAll('tbody tr')).toHaveLength(2);

    await wrapper
      .findAll('button')
      .find((b) => b.text().includes('Older runs'))!
      .trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/runs?status=FAILED&cursor=cursor-2&trail=-');
    expect(wrapper.findAll('tbody tr')).toHaveLength(1);

    await wrapper
      .findAll('button')
      .find((b) => b.text().includes('Newer runs'))!
      .trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query.cursor).toBeUndefined();
    expect(wrapper.findAll('tbody tr')).toHaveLength(2);
  });

  it('resets to the first page when a filter changes', async () => {
    fakeFetch(() => runsAnswer(false, null, ['r1']));
    const router = await testRouter('/runs?cursor=c9&trail=-');
    const wrapper = mount(RunsPage, { global: { plugins: [router] } });
    await flushPromises();

    await wrapper.get('#runs-filter-trigger').setValue('BACKFILL');
    await flushPromises();

    expect(router.currentRoute.value.query).toEqual({ trigger: 'BACKFILL' });
  });

  it('shows the error state with a retry when the server fails', async () => {
    let fail = true;
    fakeFetch(() =>
      fail
        ? { body: { errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED' } }] } }
        : runsAnswer(false, null, ['r1']),
    );
    const wrapper = mount(RunsPage, { global: { plugins: [await testRouter('/runs')] } });
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('Too many requests');

    fail = false;
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Try again')!
      .trigger('click');
    await flushPromises();
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
    expect(wrapper.findAll('tbody tr')).toHaveLength(1);
  });
});
