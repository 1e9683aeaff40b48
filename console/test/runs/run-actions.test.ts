import { flushPromises, mount } from '@vue/test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSession } from '../../src/api/session';
import RunActions from '../../src/runs/RunActions.vue';
import type { RunStatus } from '../../src/runs/run-types';
import { fakeFetch } from '../support/fake-fetch';

async function signInAs(role: string) {
  fakeFetch(() => ({ body: { tokenId: 't', name: 'someone', role } }));
  await useSession().refresh();
}

const failedRun = { id: 'run-1', status: 'FAILED' as RunStatus, canReexecute: true, canCancel: false };
const runningRun = { id: 'run-2', status: 'RUNNING' as RunStatus, canReexecute: false, canCancel: true };

const buttonTexts = (wrapper: ReturnType<typeof mount>) => wrapper.findAll('button').map((b) => b.text());

describe('RunActions', () => {
  beforeEach(() => useSession().forget());

  it('shows nothing to a viewer', async () => {
    await signInAs('viewer');
    expect(mount(RunActions, { props: { run: failedRun } }).findAll('button')).toHaveLength(0);
    expect(mount(RunActions, { props: { run: runningRun } }).findAll('button')).toHaveLength(0);
  });

  it('offers re-execution of a failed run to an operator, and emits the new run id', async () => {
    await signInAs('operator');
    const wrapper = mount(RunActions, { props: { run: failedRun } });
    expect(buttonTexts(wrapper)).toEqual(['Re-execute from failure', 'Re-execute all']);

    const { requests } = fakeFetch(() => ({ body: { data: { reexecuteRun: { id: 'run-new', status: 'QUEUED' } } } }));
    await wrapper.get('button.primary').trigger('click');
    await flushPromises();

    expect(requests[0]!.body).toMatchObject({ variables: { runId: 'run-1', mode: 'FROM_FAILURE' } });
    expect(wrapper.emitted('reexecuted')).toEqual([['run-new']]);
  });

  it('asks before canceling, then calls cancelRun', async () => {
    await signInAs('admin');
    const wrapper = mount(RunActions, { props: { run: runningRun } });
    expect(buttonTexts(wrapper)).toEqual(['Cancel run']);

    const { requests } = fakeFetch(() => ({ body: { data: { cancelRun: { id: 'run-2', status: 'CANCELING' } } } }));
    await wrapper.get('button').trigger('click');
    expect(requests).toHaveLength(0);
    expect(buttonTexts(wrapper)).toEqual(['Yes, cancel it', 'Keep running']);

    await wrapper.findAll('button')[0]!.trigger('click');
    await flushPromises();
    expect(requests[0]!.body).toMatchObject({ variables: { runId: 'run-2' } });
    expect(wrapper.emitted('canceled')).toHaveLength(1);
  });

  it('explains a refused action', async () => {
    await signInAs('operator');
    const wrapper = mount(RunActions, { props: { run: runningRun } });
    fakeFetch(() => ({ body: { errors: [{ message: 'Run already finished', extensions: { code: 'CONFLICT' } }] } }));
    await wrapper.get('button').trigger('click');
    await wrapper.findAll('button')[0]!.trigger('click');
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain('Run already finished');
    expect(wrapper.emitted('canceled')).toBeUndefined();
  });
});
