import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import RunTimeline from '../../src/runs/RunTimeline.vue';
import type { Step } from '../../src/runs/run-types';
import { attempt, at, step, T0 } from '../support/fixtures';
import { testRouter } from '../support/test-router';

// Axis: 0s → 10s. "orders": attempt 1 fails 0–2s, waits 2s, attempt 2 succeeds 4–6s.
// "report": starts at 6s and is still running at now = 10s.
const steps: Step[] = [
  step({
    id: 'step-orders',
    assetKey: 'orders',
    status: 'SUCCEEDED',
    attempts: [
      attempt({
        number: 1,
        status: 'FAILED',
        startedAt: at(0),
        endedAt: at(2_000),
        errorKind: 'TimeoutError',
        retryDelayMs: 2_000,
      }),
      attempt({ number: 2, status: 'SUCCEEDED', startedAt: at(4_000), endedAt: at(6_000) }),
    ],
  }),
  step({
    id: 'step-report',
    assetKey: 'report',
    status: 'RUNNING',
    attempts: [attempt({ number: 1, status: 'RUNNING', startedAt: at(6_000), endedAt: null })],
  }),
];

async function mountTimeline(now: number, input: Step[] = steps, selectedStepId: string | null = null) {
  return mount(RunTimeline, {
    props: { steps: input, now, selectedStepId },
    global: { plugins: [await testRouter('/runs/r1')] },
  });
}

function pct(style: string | undefined, property: 'left' | 'width'): number {
  const match = new RegExp(`${property}:\\s*([\\d.]+)%`).exec(style ?? '');
  if (!match) throw new Error(`no ${property} in "${style}"`);
  return Number(match[1]);
}

describe('RunTimeline', () => {
  it('draws one row per step and one bar per attempt, placed on the shared time axis', async () => {
    const wrapper = await mountTimeline(T0 + 10_000);

    const rows = wrapper.findAll('tbody tr');
    expect(rows.map((row) => row.find('th').text())).toEqual([
      expect.stringContaining('orders'),
      expect.stringContaining('report'),
    ]);

    const ordersBars = rows[0]!.findAll('.bar');
    expect(ordersBars).toHaveLength(2);
    expect(pct(ordersBars[0]!.attributes('style'), 'left')).toBeCloseTo(0);
    expect(pct(ordersBars[0]!.attributes('style'), 'width')).toBeCloseTo(20);
    expect(pct(ordersBars[1]!.attributes('style'), 'left')).toBeCloseTo(40);
    expect(pct(ordersBars[1]!.attributes('style'), 'width')).toBeCloseTo(20);
    const reportBar = rows[1]!.get('.bar');
    expect(pct(reportBar.attributes('style'), 'left')).toBeCloseTo(60);
  });

  it('colours a failed attempt red and says why, for screen readers too', async () => {
    const wrapper = await mountTimeline(T0 + 10_000);
    const failed = wrapper.get('[data-step-id="step-orders"] .bar[data-attempt="1"]');
    expect(failed.classes()).toContain('attempt-failed');
    expect(failed.attributes('aria-label')).toBe('Attempt 1: failed after 2s: TimeoutError');
    expect(wrapper.get('[data-step-id="step-orders"] .bar[data-attempt="2"]').classes()).toContain('attempt-succeeded');
  });

  it('draws the retry delay as a labelled gap between the attempts', async () => {
    const wrapper = await mountTimeline(T0 + 10_000);
    const gap = wrapper.get('[data-step-id="step-orders"] .retry-gap');
    expect(gap.text()).toBe('retry in 2s');
    expect(pct(gap.attributes('style'), 'left')).toBeCloseTo(20);
    expect(pct(gap.attributes('style'), 'width')).toBeCloseTo(20);
    expect(gap.attributes('aria-label')).toBe('Waited 2s before attempt 2');
  });

  it('grows the running attempt up to now', async () => {
    const wrapper = await mountTimeline(T0 + 10_000);
    const running = wrapper.get('[data-step-id="step-report"] .bar');
    expect(running.classes()).toEqual(expect.arrayContaining(['attempt-running', 'running']));
    expect(pct(running.attributes('style'), 'width')).toBeCloseTo(40); // 6s → 10s of 10s

    await wrapper.setProps({ now: T0 + 20_000 });
    const grown = wrapper.get('[data-step-id="step-report"] .bar');
    // The axis now spans 20s: the bar covers 6s → 20s = 70%.
    expect(pct(grown.attributes('style'), 'width')).toBeCloseTo(70);
    expect(grown.attributes('aria-label')).toBe('Attempt 1: running for 14s');
  });

  it('shows a scheduled retry that has not started yet, up to its start time', async () => {
    const waiting = step({
      id: 'step-flaky',
      assetKey: 'flaky',
      status: 'RETRY_SCHEDULED',
      nextAttemptAt: at(8_000),
      attempts: [attempt({ number: 1, status: 'FAILED', startedAt: at(0), endedAt: at(3_000), retryDelayMs: 5_000 })],
    });
    const wrapper = await mountTimeline(T0 + 4_000, [waiting]);
    const gap = wrapper.get('.retry-gap');
    expect(gap.text()).toBe('retry in 5s');
    expect(gap.classes()).toContain('pending');
    expect(pct(gap.attributes('style'), 'left')).toBeCloseTo(37.5); // 3s of an 8s axis
    expect(pct(gap.attributes('style'), 'width')).toBeCloseTo(62.5);
  });

  it('emits select with the step id when a step name is activated', async () => {
    const wrapper = await mountTimeline(T0 + 10_000, steps, 'step-report');
    await wrapper.get('[data-step-id="step-orders"] button').trigger('click');
    expect(wrapper.emitted('select')).toEqual([['step-orders']]);
    expect(wrapper.get('[data-step-id="step-report"] button').attributes('aria-pressed')).toBe('true');
  });

  it('labels steps without attempts instead of drawing nothing', async () => {
    const wrapper = await mountTimeline(T0, [
      step({ id: 's1', assetKey: 'later', status: 'PENDING' }),
      step({ id: 's2', assetKey: 'old', status: 'SUCCEEDED', reused: true }),
    ]);
    expect(wrapper.get('[data-step-id="s1"]').text()).toContain('waiting');
    expect(wrapper.get('[data-step-id="s2"]').text()).toContain('reused from the parent run');
  });
});
