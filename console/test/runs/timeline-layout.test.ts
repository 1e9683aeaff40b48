import { describe, expect, it } from 'vitest';
import { layoutTimeline, MIN_BAR_PCT } from '../../src/runs/timeline-layout';
import { attempt, at, step, T0 } from '../support/fixtures';

describe('layoutTimeline', () => {
  it('keeps very short attempts visible', () => {
    const layout = layoutTimeline(
      [
        step({ id: 'a', assetKey: 'a', attempts: [attempt({ number: 1, startedAt: at(0), endedAt: at(1) })] }),
        step({ id: 'b', assetKey: 'b', attempts: [attempt({ number: 1, startedAt: at(0), endedAt: at(600_000) })] }),
      ],
      T0 + 600_000,
    );
    expect(layout.rows[0]!.segments[0]!.widthPct).toBe(MIN_BAR_PCT);
  });

  it('puts round-numbered ticks on the axis, starting at 0s', () => {
    const layout = layoutTimeline(
      [step({ id: 'a', assetKey: 'a', attempts: [attempt({ number: 1, startedAt: at(0), endedAt: at(120_000) })] })],
      T0 + 120_000,
    );
    expect(layout.ticks.map((t) => t.label)).toEqual(['0s', '30s', '1m', '1m 30s', '2m']);
    expect(layout.ticks.at(-1)!.leftPct).toBeCloseTo(100);
  });

  it('uses the measured gap when the attempt did not record its retry delay', () => {
    const layout = layoutTimeline(
      [
        step({
          id: 'a',
          assetKey: 'a',
          attempts: [
            attempt({ number: 1, status: 'LOST', startedAt: at(0), endedAt: at(1_000) }),
            attempt({ number: 2, startedAt: at(31_000), endedAt: at(32_000) }),
          ],
        }),
      ],
      T0 + 32_000,
    );
    const gap = layout.rows[0]!.segments.find((s) => s.kind === 'retry-gap');
    expect(gap && gap.kind === 'retry-gap' && gap.label).toBe('retry in 30s');
  });
});
