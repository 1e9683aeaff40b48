import { describe, expect, it } from 'vitest';
import { describeError } from '../../src/components/common/describe-error';
import { formatDuration } from '../../src/components/common/format-duration';
import { formatLocalDateTime, formatRelative } from '../../src/components/common/format-time';
import { GraphQLRequestError } from '../../src/api/graphql-client';

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [3_240, '3.2s'],
    [2_000, '2s'],
    [45_000, '45s'],
    [125_000, '2m 05s'],
    [120_000, '2m'],
    [7_800_000, '2h 10m'],
    [3 * 86_400_000 + 4 * 3_600_000, '3d 4h'],
    [-5, '0ms'],
  ])('%i ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('formatLocalDateTime', () => {
  it('says Today / Tomorrow for near deadlines', () => {
    const now = new Date(2026, 10, 21, 9, 0).getTime();
    expect(formatLocalDateTime(new Date(2026, 10, 21, 14, 0).toISOString(), now)).toMatch(/^Today /);
    expect(formatLocalDateTime(new Date(2026, 10, 22, 6, 0).toISOString(), now)).toMatch(/^Tomorrow /);
    expect(formatLocalDateTime(new Date(2026, 10, 25, 6, 0).toISOString(), now)).not.toMatch(/Today|Tomorrow/);
  });
});

describe('formatRelative', () => {
  it('reads past and future', () => {
    const now = Date.parse('2026-11-21T09:00:00Z');
    expect(formatRelative('2026-11-21T08:55:00Z', now)).toMatch(/5 min/);
    expect(formatRelative('2026-11-21T08:55:00Z', now)).toMatch(/ago/);
    expect(formatRelative('2026-11-21T12:00:00Z', now)).toMatch(/^in 3/);
    expect(formatRelative('2026-11-21T09:00:01Z', now)).toBe('just now');
  });
});

describe('describeError', () => {
  it('turns codes into advice', () => {
    const forbidden = describeError(new GraphQLRequestError('Operator role required', 'FORBIDDEN'));
    expect(forbidden.title).toBe('Not allowed');
    expect(forbidden.message).toContain('Operator role required');
    expect(forbidden.message).toContain('Ask an admin');
    expect(describeError(new Error('x')).title).toBe('Something went wrong');
  });
});
