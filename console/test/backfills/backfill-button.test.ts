import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSession } from '../../src/api/session';
import BackfillButton from '../../src/backfills/BackfillButton.vue';
import { fakeFetch } from '../support/fake-fetch';
import { testRouter } from '../support/test-router';

async function signInAs(role: string) {
  fakeFetch(() => ({ body: { tokenId: 't', name: 'someone', role } }));
  await useSession().refresh();
}

async function mountButton(picked: string[], missing: string[]) {
  return mount(BackfillButton, {
    props: { selection: 'gold/daily_orders', picked, missing },
    global: { plugins: [await testRouter('/assets/gold/daily_orders')] },
  });
}

describe('BackfillButton', () => {
  beforeEach(() => useSession().forget());

  it('offers to backfill the partitions without data, or the picked ones', async () => {
    await signInAs('operator');
    expect((await mountButton([], ['2025-06-01', '2025-06-03'])).get('button').text()).toBe(
      'Backfill 2 partitions without data',
    );
    expect((await mountButton(['2025-06-02'], ['2025-06-01'])).get('button').text()).toBe('Backfill 1 partition');
    expect((await mountButton([], [])).find('button').exists()).toBe(false);
  });

  it('starts a backfill of those partitions and links to the Backfills page', async () => {
    await signInAs('operator');
    const wrapper = await mountButton([], ['2025-06-01', '2025-06-03']);
    const { requests } = fakeFetch(() => ({ body: { data: { backfill: { id: 'bf-1', total: 2 } } } }));
    await wrapper.get('button').trigger('click');
    await flushPromises();
    expect(requests[0]!.body).toMatchObject({
      variables: { selection: 'gold/daily_orders', partitions: ['2025-06-01', '2025-06-03'] },
    });
    expect(wrapper.emitted('started')).toEqual([['bf-1']]);
    expect(wrapper.text()).toContain('Backfill of 2 partition(s) started');
    expect(wrapper.get('a').attributes('href')).toBe('/backfills');
  });

  it('explains a refusal, and shows nothing to viewers', async () => {
    await signInAs('admin');
    const wrapper = await mountButton(['nope'], []);
    fakeFetch(() => ({
      body: { errors: [{ message: "'nope' is not a daily partition key", extensions: { code: 'BAD_USER_INPUT' } }] },
    }));
    await wrapper.get('button').trigger('click');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('is not a daily partition key');
    expect(wrapper.emitted('started')).toBeUndefined();

    await signInAs('viewer');
    expect((await mountButton(['2025-06-01'], [])).find('button').exists()).toBe(false);
  });
});
