import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import LogStream from '../../src/runs/LogStream.vue';
import type { RunEvent } from '../../src/runs/run-types';
import { at } from '../support/fixtures';

function event(id: string, overrides: Partial<RunEvent> = {}): RunEvent {
  return {
    id,
    at: at(0),
    type: 'log',
    level: 'INFO',
    message: `message ${id}`,
    stepId: 'step-a',
    attemptId: null,
    assetKey: 'a',
    data: {},
    ...overrides,
  };
}

const events = [
  event('1', { type: 'step.started' }),
  event('2', { level: 'DEBUG' }),
  event('3', { level: 'ERROR', stepId: 'step-b', assetKey: 'b' }),
];

describe('LogStream', () => {
  it('is a polite live log region with one line per event', () => {
    const wrapper = mount(LogStream, { props: { events, live: true } });
    const log = wrapper.get('[role="log"]');
    expect(log.attributes('aria-live')).toBe('polite');
    expect(log.findAll('li')).toHaveLength(3);
    expect(wrapper.text()).toContain('streaming');
  });

  it('appends events as they arrive', async () => {
    const wrapper = mount(LogStream, { props: { events, live: true } });
    await wrapper.setProps({ events: [...events, event('4', { message: 'fresh line' })] });
    expect(wrapper.findAll('li').at(-1)!.text()).toContain('fresh line');
  });

  it('filters by kind, level and step', async () => {
    const wrapper = mount(LogStream, { props: { events, live: false, stepId: 'step-a', stepName: 'a' } });
    // Only the selected step by default.
    expect(wrapper.findAll('li').map((li) => li.text())).toEqual([
      expect.stringContaining('message 1'),
      expect.stringContaining('message 2'),
    ]);

    await wrapper.get('select').setValue('INFO');
    expect(wrapper.findAll('li')).toHaveLength(1);

    const [logsOnly, onlyStep] = wrapper.findAll('input[type="checkbox"]');
    await onlyStep!.setValue(false);
    await logsOnly!.setValue(true);
    expect(wrapper.findAll('li').map((li) => li.text())).toEqual([expect.stringContaining('message 3')]);
  });

  it('says when there is nothing yet', () => {
    const wrapper = mount(LogStream, { props: { events: [], live: true } });
    expect(wrapper.text()).toContain('No events yet.');
  });
});
