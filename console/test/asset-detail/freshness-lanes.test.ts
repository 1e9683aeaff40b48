import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import type { FreshnessTransition } from '../../src/assets-detail/asset-detail-queries';
import { freshnessLanes, timelineWindow } from '../../src/assets-detail/freshness-lanes';
import FreshnessTimeline from '../../src/assets-detail/FreshnessTimeline.vue';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-11-21T12:00:00.000Z');
const at = (hoursAgo: number) => new Date(NOW - hoursAgo * HOUR).toISOString();

function transition(
  hoursAgo: number,
  status: FreshnessTransition['status'],
  partitionKey: string | null = null,
): FreshnessTransition {
  return {
    id: `${partitionKey}-${hoursAgo}`,
    at: at(hoursAgo),
    partitionKey,
    status,
    message: status === 'LATE' ? 'missed the 2h deadline' : 'ok',
    lagMs: null,
    missedDeadline: status === 'LATE' ? at(hoursAgo + 0.5) : null,
  };
}

// Newest first, as the API returns them.
const history = [transition(1, 'LATE'), transition(3, 'WARNING'), transition(10, 'FRESH'), transition(20, 'LATE')];

describe('freshness lanes', () => {
  it('turns transitions into consecutive segments up to now, with a breach per LATE', () => {
    const window = timelineWindow(history, NOW);
    expect(window).toEqual({ from: NOW - 20 * HOUR, to: NOW });
    const [lane] = freshnessLanes(history, null, window);
    expect(lane!.segments.map((s) => [s.status, (NOW - s.from) / HOUR, (NOW - s.to) / HOUR])).toEqual([
      ['LATE', 20, 10],
      ['FRESH', 10, 3],
      ['WARNING', 3, 1],
      ['LATE', 1, 0],
    ]);
    expect(lane!.breaches.map((b) => [(NOW - b.at) / HOUR, (NOW - b.missedDeadline!) / HOUR])).toEqual([
      [20, 20.5],
      [1, 1.5],
    ]);
  });

  it('clips to the window: the state before it starts at its left edge', () => {
    const [lane] = freshnessLanes(history, null, { from: NOW - 5 * HOUR, to: NOW });
    expect(lane!.segments[0]).toEqual({ status: 'FRESH', from: NOW - 5 * HOUR, to: NOW - 3 * HOUR });
    expect(lane!.breaches).toHaveLength(1);
  });

  it('gives each partition its own lane', () => {
    const lanes = freshnessLanes(
      [transition(1, 'LATE', '2026-11-21'), transition(2, 'FRESH', '2026-11-20'), transition(5, 'FRESH', '2026-11-21')],
      null,
      { from: NOW - 6 * HOUR, to: NOW },
    );
    expect(lanes.map((lane) => lane.partitionKey)).toEqual(['2026-11-21', '2026-11-20']);
    expect(lanes[0]!.segments.map((s) => s.status)).toEqual(['FRESH', 'LATE']);
  });

  it('draws the timeline and lists every change as a table', () => {
    const wrapper = mount(FreshnessTimeline, {
      props: {
        now: NOW,
        history,
        freshness: {
          partitionKey: null,
          policy: 'maxLag(2h)',
          status: 'LATE',
          since: at(1),
          lastMaterializedAt: at(4),
          lagMs: 4 * HOUR,
          nextDeadline: null,
          missedDeadline: at(1.5),
          lastBreachAt: at(1),
        },
      },
    });
    expect(wrapper.findAll('rect.segment')).toHaveLength(4);
    expect(wrapper.findAll('rect.segment-late')).toHaveLength(2);
    expect(wrapper.findAll('path.breach')).toHaveLength(2);
    expect(wrapper.findAll('tbody tr')).toHaveLength(4);
    expect(wrapper.get('.current').text()).toContain('lag 4h');
  });
});
