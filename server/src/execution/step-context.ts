import type { DataSource } from 'typeorm';
import type { AssetContext, AssetStore, MetadataValue, PayloadBody } from '../sdk/context.js';
import type { PayloadRef } from '../sdk/payload-ref.js';
import type { ObjectStore } from '../io/object-store.port.js';
import { writeAssetFile } from '../io/payload-codec.js';
import { CheckpointWriter, type ResumeState } from './checkpoint-store.js';
import type { StepLogger } from './step-logger.js';

/** Builds the `ctx` handed to `materialize`, and collects what the asset attached to it. */
export function createStepContext(input: {
  assetKey: string;
  runId: string;
  stepId: string;
  attemptId: string;
  attemptNumber: number;
  partitionKey: string;
  logger: StepLogger;
  signal: AbortSignal;
  objectStore: ObjectStore;
  keyPrefix: string;
  dataSource: DataSource;
  /** JSON checkpoint states of at most this many bytes are kept in the database. */
  inlineLimit: number;
  /** What earlier attempts of the step checkpointed (see `loadResumeState`). */
  resume: ResumeState;
}): { ctx: AssetContext; metadata: Record<string, MetadataValue> } {
  const metadata: Record<string, MetadataValue> = {};
  const store: AssetStore = {
    write: (name: string, body: PayloadBody, options?: { contentType?: string }): Promise<PayloadRef> =>
      writeAssetFile(input.objectStore, input.keyPrefix, name, body, options?.contentType),
    open: (ref: PayloadRef) => input.objectStore.open(ref),
  };
  const checkpoints = new CheckpointWriter(
    {
      dataSource: input.dataSource,
      objectStore: input.objectStore,
      inlineLimit: input.inlineLimit,
      keyPrefix: input.keyPrefix,
      runId: input.runId,
      stepId: input.stepId,
      attemptId: input.attemptId,
      attemptNumber: input.attemptNumber,
      assetKey: input.assetKey,
    },
    input.resume.saved,
    () => input.logger.flush(),
  );
  const ctx: AssetContext = {
    assetKey: input.assetKey,
    runId: input.runId,
    stepId: input.stepId,
    attemptId: input.attemptId,
    attemptNumber: input.attemptNumber,
    partition: input.partitionKey === '' ? undefined : input.partitionKey,
    log: input.logger,
    signal: input.signal,
    store,
    resume: input.resume.state,
    checkpoint: (state: unknown) => checkpoints.save(state),
    metadata(values) {
      for (const [key, value] of Object.entries(values)) {
        if (!['number', 'string', 'boolean'].includes(typeof value)) {
          throw new TypeError(`ctx.metadata: '${key}' must be a number, string or boolean (got ${typeof value})`);
        }
        metadata[key] = value;
      }
    },
  };
  return { ctx, metadata };
}
