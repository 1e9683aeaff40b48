/** The errors worth showing at the top of a run page: the last failure of each failed step. */
import type { Attempt, Step } from './run-types';

export interface StepFailure {
  step: Step;
  attempt: Attempt | null;
  kind: string | null;
  message: string | null;
  stack: string | null;
}

/** The latest failed attempt of a step (or null when none failed). */
export function lastFailedAttempt(step: Step): Attempt | null {
  const failed = step.attempts.filter((a) => a.status === 'FAILED' || a.status === 'LOST');
  return failed.sort((a, b) => b.number - a.number)[0] ?? null;
}

/** One entry per failed step, with the error of its last failed attempt (or the step's own error). */
export function stepFailures(steps: Step[]): StepFailure[] {
  return steps
    .filter((step) => step.status === 'FAILED')
    .map((step) => {
      const attempt = lastFailedAttempt(step);
      return {
        step,
        attempt,
        kind: attempt?.errorKind ?? null,
        message: attempt?.errorMessage ?? step.error,
        stack: attempt?.errorStack ?? null,
      };
    });
}
