import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import RunPage from '../../src/pages/RunPage.vue';
import type { RunDetail } from '../../src/runs/run-types';
import { fakeFetch } from '../support/fake-fetch';
import { attempt, at, runSummary, step } from '../support/fixtures';
import { testRouter } from '../support/test-router';

const subscribe = vi.hoisted(() =>
  vi.fn(
    (..._args: unknown[]) =>
      () =>
        undefined,
  ),
);
vi.mock('../../src/api/subscriptions', () => ({ subscribe }));

const failedRun: RunDetail = {
  ...runSummary({ id: 'run-failed-1', status: 'FAILED' }),
  triggerDetail: {},
  parentRunId: null,
  backfillId: null,
  canReexecute: true,
  canCancel: false,
  steps: [
    step({
      id: 'step-ok',
      assetKey: 'raw',
      attempts: [attempt({ number: 1, startedAt: at(0), endedAt: at(1_000) })],
      output: { valueType: 'json', size: 2048, uri: 's3://bucket/raw.json', sha256: null, metadata: {} },
    }),
    step({
      id: 'step-bad',
      assetKey: 'orders',
      status: 'FAILED',
      attempts: [
        attempt({
          number: 1,
          status: 'FAILED',
          startedAt: at(1_000),
          endedAt: at(2_000),
          errorKind: 'ValueError',
          errorMessage: 'negative amount',
          errorStack: 'ValueError: negative amount\n    at check (orders.ts:20:9)',
        }),
      ],
    }),
  ],
};

function answer(body: unknown) {
  const query = (body as { query: string }).query;
  if (query.includes('ConsoleRunEvents')) return { body: { data: { run: { id: failedRun.id, events: [] } } } };
  return { body: { data: { run: failedRun } } };
}

describe('RunPage', () => {
  it('shows the error with its stack, the timeline and the step chosen in the URL', async () => {
    fakeFetch(({ body }) => answer(body));
    const router = await testRouter('/runs/run-failed-1?step=step-ok');
    const wrapper = mount(RunPage, { global: { plugins: [router] } });
    await flushPromises();

    expect(wrapper.get('#run-errors-title').text()).toBe('Error');
    expect(wrapper.text()).toContain('ValueError: negative amount');
    expect(wrapper.get('details pre').text()).toContain('orders.ts:20:9');
    expect(wrapper.findAll('.gantt tbody tr')).toHaveLength(2);
    // The selected step's payload URI is shown.
    expect(wrapper.get('.step-details').text()).toContain('s3://bucket/raw.json');

    await wrapper.get('[data-step-id="step-bad"] button').trigger('click');
    await flushPromises();
    expect(router.currentRoute.value.query.step).toBe('step-bad');
  });

  it('does not open a live stream for a finished run', async () => {
    subscribe.mockClear();
    fakeFetch(({ body }) => answer(body));
    mount(RunPage, { global: { plugins: [await testRouter('/runs/run-failed-1')] } });
    await flushPromises();
    expect(subscribe).not.toHaveBeenCalled();
  });

  it('follows a running run through the runEvents subscription, after the last event read', async () => {
    subscribe.mockClear();
    const running = { ...failedRun, status: 'RUNNING' as const, canCancel: true };
    fakeFetch(({ body }) => {
      const query = (body as { query: string }).query;
      if (query.includes('ConsoleRunEvents')) {
        const events = [
          {
            id: 'ev-7',
            at: at(0),
            type: 'log',
            level: 'INFO',
            message: 'hi',
            stepId: null,
            attemptId: null,
            assetKey: null,
            data: {},
          },
        ];
        return { body: { data: { run: { id: running.id, events } } } };
      }
      return { body: { data: { run: running } } };
    });
    mount(RunPage, { global: { plugins: [await testRouter('/runs/run-failed-1')] } });
    await flushPromises();

    expect(subscribe).toHaveBeenCalledTimes(1);
    expect(subscribe.mock.calls[0]![1]).toEqual({ runId: 'run-failed-1', afterId: 'ev-7' });
  });

  it('says so when the run does not exist', async () => {
    fakeFetch(() => ({ body: { errors: [{ message: 'No run "zzz"', extensions: { code: 'NOT_FOUND' } }] } }));
    const wrapper = mount(RunPage, { global: { plugins: [await testRouter('/runs/zzz')] } });
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('Run not found');
    expect(wrapper.get('[role="alert"] a').attributes('href')).toBe('/runs');
  });
});
