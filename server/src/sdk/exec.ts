import type { MetadataValue } from './metadata-value.js';
import type { CheckSeverity } from './check-severity.js';

/** Options of {@link AssetContext.exec}. */
export interface ExecOptions {
  /**
   * Variables added to the process's environment, over Weir's own (`WEIR_RUN_ID`, …) and over
   * the isolate's environment, which the process inherits.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Working directory of the process; the isolate's own when omitted. */
  readonly cwd?: string;
  /**
   * How long the process (and its children) may take to end after `SIGTERM` on cancel or
   * timeout before they are killed with `SIGKILL`. Default: half of `WEIR_CANCEL_GRACE`
   * (2.5 s), so the process group is gone before the engine terminates the isolate.
   */
  readonly killGraceMs?: number;
}

/** A check reported by an external process (`report_check` in the Python helper). */
export interface ReportedCheck {
  readonly name: string;
  readonly passed: boolean;
  readonly severity: CheckSeverity;
  readonly message: string | null;
  readonly metadata: Record<string, MetadataValue>;
}

/** What {@link AssetContext.exec} resolves with once the process exited with code 0. */
export interface ExecResult {
  readonly exitCode: 0;
  /** The metadata the process reported (also added to the materialization's metadata). */
  readonly metadata: Record<string, MetadataValue>;
  /** The checks the process reported, in order (also recorded as the materialization's check results). */
  readonly checks: readonly ReportedCheck[];
  /** Wall-clock time from spawn to exit. */
  readonly durationMs: number;
}

/**
 * An external process that exited with a non-zero code, was killed by a signal, or could not be
 * started. The message names the command and ends with the last lines it wrote to stderr.
 */
export class ExternalProcessError extends Error {
  override name = 'ExternalProcessError';

  constructor(
    message: string,
    /** The command as given to `ctx.exec`. */
    readonly command: string,
    /** The exit code, or `null` when the process was killed by a signal or never started. */
    readonly exitCode: number | null,
    /** The signal that ended it, e.g. `'SIGKILL'`, or `null`. */
    readonly exitSignal: string | null,
    /** The last lines the process wrote to stderr (at most 20). */
    readonly stderrTail: readonly string[],
  ) {
    super(message);
  }
}
