import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { useSession } from '../../src/api/session';
import MaterializeButton from '../../src/assets-detail/MaterializeButton.vue';
import { fakeFetch } from '../support/fake-fetch';
import { testRouter } from '../support/test-router';

async function mountAs(role: string, answer: unknown) {
  fakeFetch((request) =>
    request.url === '/api/session' ? { body: { tokenId: 't', name: 'n', role } } : { body: answer },
  );
  await useSession().refresh();
  return mount(MaterializeButton, {
    props: { selection: 'gold/revenue' },
    global: { plugins: [await testRouter()] },
  });
}

describe('MaterializeButton', () => {
  it('explains a refusal from the server instead of failing silently', async () => {
    const wrapper = await mountAs('admin', {
      errors: [{ message: 'Operators only', extensions: { code: 'FORBIDDEN' } }],
    });
    await wrapper.get('button').trigger('click');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('Operators only');
    expect(wrapper.emitted('started')).toBeUndefined();
    expect(wrapper.get('button').attributes('disabled')).toBeUndefined();
  });

  it('emits the new run id once started', async () => {
    const wrapper = await mountAs('operator', { data: { materialize: { id: 'run-9', status: 'QUEUED' } } });
    expect(wrapper.get('button').text()).toBe('Materialize');
    await wrapper.get('button').trigger('click');
    await flushPromises();
    expect(wrapper.emitted('started')).toEqual([['run-9']]);
  });

  it('renders nothing for viewers', async () => {
    const wrapper = await mountAs('viewer', {});
    expect(wrapper.find('button').exists()).toBe(false);
  });
});
