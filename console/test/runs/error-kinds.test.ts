import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ErrorWithStack from '../../src/runs/ErrorWithStack.vue';
import StepDetails from '../../src/runs/StepDetails.vue';
import { errorKindHint, errorKindLabel } from '../../src/runs/error-kinds';
import { layoutTimeline } from '../../src/runs/timeline-layout';
import { attempt, at, step, T0 } from '../support/fixtures';
import { testRouter } from '../support/test-router';

describe('errorKindLabel', () => {
  it.each([
    ['user', 'Error'],
    ['non_retryable', 'Non-retryable error'],
    ['timeout', 'Timed out'],
    ['out_of_memory', 'Out of memory'],
    ['crashed', 'Crashed'],
    ['canceled', 'Canceled'],
    ['lost', 'Lost (worker stopped heartbeating)'],
    ['check', 'Blocking check failed'],
    ['system', 'Weir could not run the step'],
    ['commit_failed', 'Output stored, but recording it failed'],
  ])('says %s in words', (kind, label) => {
    expect(errorKindLabel(kind)).toBe(label);
  });

  it('shows a kind it does not know as it is', () => {
    expect(errorKindLabel('ValueError')).toBe('ValueError');
    // Not fooled by names of Object.prototype.
    expect(errorKindLabel('toString')).toBe('toString');
  });

  it('has no label without a kind', () => {
    expect(errorKindLabel(null)).toBeNull();
    expect(errorKindLabel(undefined)).toBeNull();
    expect(errorKindLabel('')).toBeNull();
  });
});

describe('errorKindHint', () => {
  it("says a failed commit is not the asset's fault and that the step is retried", () => {
    const hint = errorKindHint('commit_failed');
    expect(hint).toContain("Not the asset's fault");
    expect(hint).toContain('retried');
  });

  it('tells what to do about a timeout', () => {
    const hint = errorKindHint('timeout');
    expect(hint).toContain('timeout');
    expect(hint).toContain('WEIR_STEP_TIMEOUT');
    expect(hint).toContain('ctx.signal');
  });

  it('tells what to do about running out of memory', () => {
    const hint = errorKindHint('out_of_memory');
    expect(hint).toContain('memory');
    expect(hint).toContain('WEIR_STEP_MEMORY');
    expect(hint).toContain('stream');
  });

  it('tells where a crash comes from', () => {
    const hint = errorKindHint('crashed');
    expect(hint).toContain('process.exit()');
    expect(hint).toContain('timer');
    expect(hint).toContain('unawaited promise');
  });

  it.each(['user', 'non_retryable', 'canceled', 'lost', 'check', 'system', 'ValueError', 'toString', null, undefined])(
    'has no hint for %s',
    (kind) => {
      expect(errorKindHint(kind)).toBeNull();
    },
  );
});

describe('where the kinds are shown', () => {
  it('ErrorWithStack shows the label and the hint, and keeps the raw kind', () => {
    const wrapper = mount(ErrorWithStack, { props: { kind: 'out_of_memory', message: 'heap limit reached' } });
    expect(wrapper.get('.message').text()).toBe('Out of memory: heap limit reached');
    expect(wrapper.get('.hint').text()).toContain('WEIR_STEP_MEMORY');
    expect(wrapper.attributes('data-kind')).toBe('out_of_memory');
    expect(wrapper.get('strong').attributes('title')).toContain('out_of_memory');
  });

  it('ErrorWithStack shows the message alone without a kind', () => {
    const wrapper = mount(ErrorWithStack, { props: { message: 'boom' } });
    expect(wrapper.get('.message').text()).toBe('boom');
    expect(wrapper.find('.hint').exists()).toBe(false);
    expect(wrapper.attributes('data-kind')).toBeUndefined();
  });

  it('the attempts table shows a badge with the label next to the message', async () => {
    const wrapper = mount(StepDetails, {
      props: {
        now: T0 + 10_000,
        step: step({
          id: 's',
          assetKey: 'iso/hangs',
          status: 'FAILED',
          attempts: [
            attempt({ number: 1, status: 'FAILED', errorKind: 'timeout', errorMessage: 'over its 2s limit' }),
            attempt({ number: 2, status: 'FAILED', errorMessage: 'no kind recorded' }),
            attempt({ number: 3, status: 'SUCCEEDED' }),
          ],
        }),
      },
      global: { plugins: [await testRouter('/runs/r1')] },
    });
    const cells = wrapper.findAll('tbody tr').map((row) => row.findAll('td')[4]!);
    const badge = cells[0]!.get('.kind-badge');
    expect(badge.text()).toBe('Timed out');
    expect(badge.attributes('data-kind')).toBe('timeout');
    expect(cells[0]!.text()).toContain('over its 2s limit');
    expect(cells[1]!.find('.kind-badge').exists()).toBe(false);
    expect(cells[1]!.text()).toBe('no kind recorded');
    expect(cells[2]!.text()).toBe('—');
  });

  it("the timeline's tooltip says the kind in words", () => {
    const layout = layoutTimeline(
      [
        step({
          id: 'a',
          assetKey: 'a',
          status: 'FAILED',
          attempts: [
            attempt({ number: 1, status: 'FAILED', startedAt: at(0), endedAt: at(2_000), errorKind: 'timeout' }),
          ],
        }),
      ],
      T0 + 2_000,
    );
    const bar = layout.rows[0]!.segments[0]!;
    expect(bar.description).toBe('Attempt 1: failed after 2s: Timed out');
  });
});
