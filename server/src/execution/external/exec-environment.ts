import type { AssetContext } from '../../sdk/context.js';
import { parseDuration } from '../../sdk/duration.js';
import { PIPES_FD, PIPES_PREFIX, PIPES_VERSION } from './pipes-protocol.js';

/**
 * The step an external process runs for, as its environment tells it: the context's own
 * fields (`config` is passed as JSON).
 */
export type ExecStep = Pick<
  AssetContext<unknown>,
  'assetKey' | 'runId' | 'stepId' | 'attemptId' | 'attemptNumber' | 'partition' | 'config'
>;

/**
 * The process's environment: `PYTHONUNBUFFERED=1`, the isolate's (so PATH, credentials and
 * virtualenvs work as in a shell), Weir's variables describing the step and the message pipe,
 * then the caller's `env`.
 * Weir's own are set even when the isolate inherited them (a `weir` started by a step), so a
 * nested process never sees its parent's run.
 */
export function execEnvironment(
  step: ExecStep,
  extra: Readonly<Record<string, string | undefined>> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    // Python buffers stdout in blocks when it is a pipe: its lines would reach the log only at
    // exit, and be lost if it is killed. The isolate's environment or `env` may say otherwise.
    PYTHONUNBUFFERED: '1',
    ...process.env,
    WEIR_RUN_ID: step.runId,
    WEIR_STEP_ID: step.stepId,
    WEIR_ATTEMPT_ID: step.attemptId,
    WEIR_ATTEMPT_NUMBER: String(step.attemptNumber),
    WEIR_ASSET_KEY: step.assetKey,
    WEIR_PIPES_FD: String(PIPES_FD),
    WEIR_PIPES_PREFIX: PIPES_PREFIX,
    WEIR_PIPES_VERSION: PIPES_VERSION,
  };
  if (step.partition === undefined) delete env.WEIR_PARTITION;
  else env.WEIR_PARTITION = step.partition;
  if (step.config === undefined) delete env.WEIR_CONFIG;
  else env.WEIR_CONFIG = JSON.stringify(step.config);
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/**
 * Half the engine's cancel grace: after that the engine terminates the isolate, and with it the
 * only code that could still SIGKILL the process group, so the group must be gone first.
 */
export function defaultKillGraceMs(): number {
  try {
    return parseDuration(process.env.WEIR_CANCEL_GRACE || '5s') / 2;
  } catch {
    return 2_500;
  }
}
