import { describe, expect, it } from 'vitest';
import { describeAutomation } from '../../src/api/read-models/describe-automation.js';
import { asset } from '../../src/sdk/asset.js';
import {
  anyDepsUpdated,
  cronTickPassed,
  eager,
  inLatestTimeWindow,
  missing,
  not,
  onCron,
  onMissing,
} from '../../src/sdk/automation.js';

describe('automation condition building blocks', () => {
  it('composes with .since(), .sinceLastHandled(), .newlyTrue(), .allow() and .ignore(), as plain data', () => {
    const condition = anyDepsUpdated().ignore('raw/noisy').sinceLastHandled();
    expect(JSON.parse(JSON.stringify(condition))).toEqual({
      kind: 'since',
      trigger: { kind: 'any_deps_updated', runPerEvent: false, deps: { ignore: ['raw/noisy'] } },
      reset: {
        kind: 'or',
        conditions: [{ kind: 'newly_requested' }, { kind: 'newly_updated' }, { kind: 'initial_evaluation' }],
      },
    });
    expect(describeAutomation(condition)).toBe("anyDepsUpdated().ignore(['raw/noisy']).sinceLastHandled()");
    expect(describeAutomation(missing().newlyTrue())).toBe('missing().newlyTrue()');
    // ignore() reaches every dep operand inside a composite, and keeps its label.
    const quiet = eager().ignore(asset({ key: 'raw/noisy', materialize: () => 1 }));
    expect(JSON.stringify(quiet).match(/"ignore":\["raw\/noisy"\]/g)).toHaveLength(3);
    expect(describeAutomation(quiet)).toBe('eager()');
    expect(describeAutomation(onCron('0 6 * * *', { timezone: 'Europe/Paris' }))).toBe(
      "onCron('0 6 * * *', Europe/Paris)",
    );
    expect(describeAutomation(not(onMissing()))).toBe('not(onMissing())');
  });

  it('rejects bad input with an error naming the culprit', () => {
    expect(() => anyDepsUpdated().allow([''])).toThrow(/allow\(\)\/ignore\(\): dep #1 is not an asset key or an asset/);
    expect(() => inLatestTimeWindow({ lookback: 'soon' })).toThrow(
      /inLatestTimeWindow\(\): lookback invalid duration 'soon'/,
    );
    expect(() =>
      asset({ key: 'bad/since', automation: missing().since(cronTickPassed('99 * * * *')), materialize: () => 1 }),
    ).toThrow(/asset 'bad\/since' has an invalid automation: cron expression '99 \* \* \* \*' does not parse/);
  });
});
