/**
 * Where the Gantt timeline draws things: the geometry is computed here, as plain data, so it can
 * be tested without a browser and the component only renders it.
 *
 * All steps share one time axis, from the first attempt's start to the latest known moment (an
 * end, `now` for a running attempt, or the time a scheduled retry will start). Positions are
 * percentages of the axis. Between two attempts of a step the retry delay becomes a "retry gap"
 * segment labelled with the backoff ("retry in 2s"); a retry that is scheduled but not started
 * yet gets a gap up to `nextAttemptAt`.
 */
import { formatDuration } from '../components/common/format-duration';
import { errorKindLabel } from './error-kinds';
import type { Attempt, AttemptStatus, Step } from './run-types';

export interface AttemptSegment {
  kind: 'attempt';
  key: string;
  leftPct: number;
  widthPct: number;
  status: AttemptStatus;
  number: number;
  /** Still running: the bar ends at `now` and grows as time passes. */
  running: boolean;
  durationMs: number;
  /** A sentence for screen readers and the tooltip. */
  description: string;
}

export interface RetryGapSegment {
  kind: 'retry-gap';
  key: string;
  leftPct: number;
  widthPct: number;
  /** "retry in 2s" */
  label: string;
  /** The retry has not started yet. */
  pending: boolean;
  description: string;
}

export type TimelineSegment = AttemptSegment | RetryGapSegment;

export interface TimelineRow {
  step: Step;
  segments: TimelineSegment[];
}

export interface TimelineTick {
  leftPct: number;
  label: string;
}

export interface TimelineLayout {
  startMs: number;
  endMs: number;
  rows: TimelineRow[];
  ticks: TimelineTick[];
  /** Where "now" falls on the axis, when it is inside it. */
  nowPct: number | null;
}

/** The narrowest bar drawn, so an attempt of a few milliseconds is still visible and clickable. */
export const MIN_BAR_PCT = 0.6;
const MIN_SPAN_MS = 1_000;
const NICE_STEPS_MS = [
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000,
  7_200_000, 21_600_000, 43_200_000, 86_400_000,
];

function ms(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const value = Date.parse(iso);
  return Number.isNaN(value) ? null : value;
}

function attemptEnd(attempt: Attempt, now: number): number {
  const end = ms(attempt.endedAt);
  if (end !== null) return end;
  // A running attempt grows until now; one that ended without an end time (lost) stops at its last heartbeat.
  return attempt.status === 'RUNNING' ? now : (ms(attempt.heartbeatAt) ?? now);
}

function byNumber(step: Step): Attempt[] {
  return [...step.attempts].sort((a, b) => a.number - b.number);
}

/** The axis bounds: the earliest attempt start and the latest end, running `now` or scheduled retry. */
function axisBounds(steps: Step[], now: number): { start: number; end: number } {
  let start = Infinity;
  let end = -Infinity;
  for (const step of steps) {
    for (const attempt of step.attempts) {
      const began = ms(attempt.startedAt);
      if (began === null) continue;
      start = Math.min(start, began);
      end = Math.max(end, attemptEnd(attempt, now));
    }
    const retryAt = step.status === 'RETRY_SCHEDULED' ? ms(step.nextAttemptAt) : null;
    if (retryAt !== null) end = Math.max(end, retryAt);
  }
  if (start === Infinity) return { start: now, end: now + MIN_SPAN_MS };
  return { start, end: Math.max(end, start + MIN_SPAN_MS) };
}

function describeAttempt(attempt: Attempt, durationMs: number, running: boolean): string {
  const length = formatDuration(durationMs);
  if (running) return `Attempt ${attempt.number}: running for ${length}`;
  const outcome = attempt.status.toLowerCase();
  // "failed after 2s: Timed out", or the message when the attempt has no kind.
  const reason = errorKindLabel(attempt.errorKind) ?? attempt.errorMessage;
  const why = reason ? `: ${reason}` : '';
  return `Attempt ${attempt.number}: ${outcome} after ${length}${why}`;
}

/** Lays out every step's attempts and retry gaps on a shared time axis. */
export function layoutTimeline(steps: Step[], now: number): TimelineLayout {
  const { start, end } = axisBounds(steps, now);
  const span = end - start;
  const pct = (t: number) => ((t - start) / span) * 100;
  const width = (from: number, to: number) => Math.max(MIN_BAR_PCT, ((to - from) / span) * 100);

  const rows = steps.map((step): TimelineRow => {
    const segments: TimelineSegment[] = [];
    const attempts = byNumber(step);
    attempts.forEach((attempt, index) => {
      const began = ms(attempt.startedAt);
      if (began === null) return;
      const finished = attemptEnd(attempt, now);
      const running = attempt.status === 'RUNNING' && !attempt.endedAt;
      const durationMs = Math.max(0, finished - began);
      segments.push({
        kind: 'attempt',
        key: attempt.id,
        leftPct: pct(began),
        widthPct: width(began, finished),
        status: attempt.status,
        number: attempt.number,
        running,
        durationMs,
        description: describeAttempt(attempt, durationMs, running),
      });

      const next = attempts[index + 1];
      const nextStart = next ? ms(next.startedAt) : step.status === 'RETRY_SCHEDULED' ? ms(step.nextAttemptAt) : null;
      if (nextStart === null || running || nextStart <= finished) return;
      const delay = attempt.retryDelayMs ?? nextStart - finished;
      const pending = !next;
      segments.push({
        kind: 'retry-gap',
        key: `${attempt.id}-retry`,
        leftPct: pct(finished),
        widthPct: width(finished, nextStart),
        label: `retry in ${formatDuration(delay)}`,
        pending,
        description: pending
          ? `Retry ${attempt.number + 1} scheduled after a ${formatDuration(delay)} delay`
          : `Waited ${formatDuration(delay)} before attempt ${attempt.number + 1}`,
      });
    });
    return { step, segments };
  });

  return {
    startMs: start,
    endMs: end,
    rows,
    ticks: ticksFor(span),
    nowPct: now >= start && now <= end ? pct(now) : null,
  };
}

/** Evenly spaced, round-numbered ticks (0s, 30s, 1m...) measured from the start of the axis. */
function ticksFor(span: number): TimelineTick[] {
  const stepMs = NICE_STEPS_MS.find((candidate) => span / candidate <= 6) ?? Math.ceil(span / 6);
  const ticks: TimelineTick[] = [];
  for (let offset = 0; offset <= span; offset += stepMs) {
    ticks.push({ leftPct: (offset / span) * 100, label: offset === 0 ? '0s' : formatDuration(offset) });
  }
  return ticks;
}
