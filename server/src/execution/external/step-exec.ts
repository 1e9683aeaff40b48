import type { AssetContext, MetadataValue } from '../../sdk/context.js';
import type { ReportedCheck } from '../../sdk/exec.js';
import { runExternalProcess } from './external-process.js';

/** What a step collects from its external processes, committed with its materialization. */
export interface ExecReports {
  /** The materialization's metadata (shared with `ctx.metadata`). */
  readonly metadata: Record<string, MetadataValue>;
  /** Reported checks, one per name (the last report of a name wins), recorded before declared checks. */
  readonly checks: ReportedCheck[];
}

/**
 * `ctx.exec` for a step's context. `context` is read when a process starts, not when the context
 * is built, so fields added to the context later (the run config) reach the process too.
 */
export function stepExec(context: () => AssetContext<unknown>, reports: ExecReports): AssetContext['exec'] {
  return (command, args, options) => {
    const ctx = context();
    // `config` exists on contexts of assets with run config; read it without depending on its type.
    const config = (ctx as { readonly config?: unknown }).config;
    return runExternalProcess(
      {
        assetKey: ctx.assetKey,
        runId: ctx.runId,
        stepId: ctx.stepId,
        attemptId: ctx.attemptId,
        attemptNumber: ctx.attemptNumber,
        partition: ctx.partition,
        config,
      },
      {
        log: ctx.log,
        signal: ctx.signal,
        metadata: (values) => Object.assign(reports.metadata, values),
        check: (check) => {
          const index = reports.checks.findIndex((earlier) => earlier.name === check.name);
          if (index === -1) reports.checks.push(check);
          else reports.checks[index] = check;
        },
      },
      command,
      args,
      options,
    );
  };
}
