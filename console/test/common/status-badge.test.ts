import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import StatusBadge from '../../src/components/common/StatusBadge.vue';

describe('StatusBadge', () => {
  it.each([
    ['FRESH', 'tone-success', 'Fresh'],
    ['STALE', 'tone-warning', 'Stale'],
    ['RUNNING', 'tone-running', 'Running'],
    ['FAILED', 'tone-danger', 'Failed'],
    ['LATE', 'tone-late', 'Late'],
    ['NEVER_MATERIALIZED', 'tone-neutral', 'Never materialized'],
    ['RETRY_SCHEDULED', 'tone-warning', 'Retry scheduled'],
  ])('%s is %s and reads "%s"', (status, tone, words) => {
    const badge = mount(StatusBadge, { props: { status } });
    expect(badge.classes()).toContain(tone);
    expect(badge.text()).toBe(words);
  });

  it('accepts other words for the same colour', () => {
    const badge = mount(StatusBadge, { props: { status: 'FRESH', label: 'On time' } });
    expect(badge.text()).toBe('On time');
    expect(badge.classes()).toContain('tone-success');
  });
});
