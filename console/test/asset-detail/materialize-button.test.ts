import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { useSession } from '../../src/api/session';
import MaterializeButton from '../../src/assets-detail/MaterializeButton.vue';
import { fakeFetch } from '../support/fake-fetch';
import { testRouter } from '../support/test-router';

const isSchemaQuery = (body: unknown) => String((body as { query?: string })?.query).includes('runConfigSchemas');

/** `schemas`: what the selection's runConfigSchemas are (none: the button launches at once). */
async function mountAs(role: string, answer: unknown, schemas: unknown[] = []) {
  fakeFetch((request) =>
    request.url === '/api/session'
      ? { body: { tokenId: 't', name: 'n', role } }
      : isSchemaQuery(request.body)
        ? { body: { data: { runConfigSchemas: schemas } } }
        : { body: answer },
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

  it('asks for run config in a dialog when the selection takes some, and launches with it', async () => {
    const schema = {
      type: 'object',
      properties: {
        sampleSize: { type: 'integer', minimum: 1, default: 100 },
        region: { type: 'string', enum: ['eu', 'us'] },
      },
      required: ['region'],
    };
    const { requests } = fakeFetch((request) =>
      request.url === '/api/session'
        ? { body: { tokenId: 't', name: 'n', role: 'operator' } }
        : isSchemaQuery(request.body)
          ? { body: { data: { runConfigSchemas: [{ assetKey: 'gold/revenue', jsonSchema: schema }] } } }
          : { body: { data: { materialize: { id: 'run-7', status: 'QUEUED' } } } },
    );
    await useSession().refresh();
    const wrapper = mount(MaterializeButton, {
      props: { selection: 'gold/revenue' },
      global: { plugins: [await testRouter()] },
      attachTo: document.body,
    });
    await wrapper.get('button').trigger('click');
    await flushPromises();
    expect(wrapper.emitted('started')).toBeUndefined();
    const dialog = wrapper.get('dialog');
    expect(dialog.get('legend').text()).toBe('gold/revenue');
    expect(dialog.findAll('option').map((o) => o.text())).toEqual(['Choose…', 'eu', 'us']);
    await dialog.get('select').setValue('us');
    await dialog.get('input[type="number"]').setValue('12');
    await dialog.get('form').trigger('submit');
    await flushPromises();
    expect(wrapper.emitted('started')).toEqual([['run-7']]);
    const launched = requests.find((r) => String((r.body as { query?: string })?.query).includes('materialize('));
    expect((launched!.body as { variables: unknown }).variables).toMatchObject({
      selection: 'gold/revenue',
      config: { 'gold/revenue': { sampleSize: 12, region: 'us' } },
    });
    wrapper.unmount();
  });

  it('renders nothing for viewers', async () => {
    const wrapper = await mountAs('viewer', {});
    expect(wrapper.find('button').exists()).toBe(false);
  });
});
