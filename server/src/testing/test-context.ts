import type { ObjectStore } from '../io/object-store.port.js';
import { writeAssetFile } from '../io/payload-codec.js';
import type { AssetContext, AssetLogger, LogFields, MetadataValue } from '../sdk/context.js';
import { serializeCheckpointState } from '../execution/checkpoint-state.js';
import { stepExec, type ExecReports } from '../execution/external/step-exec.js';

/** A line an asset logged during {@link materializeForTest}. */
export interface TestLogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: LogFields;
}

/** What one asset's context collects while it runs in a test. */
export interface TestRecorder {
  readonly logs: TestLogLine[];
  /** Each `ctx.checkpoint` state, as JSON would read it back. */
  readonly checkpoints: unknown[];
  /** The materialization's metadata and the checks its external processes reported. */
  readonly reports: ExecReports;
}

/** Where a test context's ids, store and abort signal come from. */
export interface TestContextSource {
  readonly assetKey: string;
  readonly runId: string;
  readonly partition: string | undefined;
  readonly keyPrefix: string;
  readonly store: ObjectStore;
  readonly signal: AbortSignal;
  readonly config: unknown;
  readonly resources: Readonly<Record<string, unknown>>;
}

/** The context an asset gets in a test: any config, the resources by name. */
export type TestAssetContext = AssetContext<unknown, Readonly<Record<string, unknown>>>;

/**
 * A full {@link AssetContext} for an asset run by a test: logs and checkpoints are recorded
 * (a checkpoint is validated as the engine does, then kept), the store is the test's own and
 * `ctx.exec` runs real processes, as in a step.
 */
export function testContext(source: TestContextSource, recorder: TestRecorder): TestAssetContext {
  const { metadata } = recorder.reports;
  const line =
    (level: TestLogLine['level']) =>
    (message: string, fields: LogFields = {}): void => {
      recorder.logs.push({ level, message, fields });
    };
  const log: AssetLogger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  const ctx: TestAssetContext = {
    assetKey: source.assetKey,
    runId: source.runId,
    stepId: `${source.runId}-${source.assetKey}`,
    attemptId: `${source.runId}-${source.assetKey}-1`,
    attemptNumber: 1,
    partition: source.partition,
    log,
    signal: source.signal,
    store: {
      write: (name, body, options) => writeAssetFile(source.store, source.keyPrefix, name, body, options?.contentType),
      open: (ref) => source.store.open(ref),
    },
    config: source.config,
    resources: source.resources,
    resume: undefined,
    checkpoint(state: unknown): Promise<void> {
      try {
        recorder.checkpoints.push(JSON.parse(serializeCheckpointState(state)));
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },
    metadata(values) {
      for (const [key, value] of Object.entries(values)) {
        if (!['number', 'string', 'boolean'].includes(typeof value)) {
          throw new TypeError(`ctx.metadata: '${key}' must be a number, string or boolean (got ${typeof value})`);
        }
        metadata[key] = value as MetadataValue;
      }
    },
    exec: stepExec(() => ctx, recorder.reports),
  };
  return ctx;
}
