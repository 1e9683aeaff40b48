import type { AssetContext, AssetStore, MetadataValue, PayloadBody } from '../sdk/context.js';
import type { PayloadRef } from '../sdk/payload-ref.js';
import type { ObjectStore } from '../io/object-store.port.js';
import { writeAssetFile } from '../io/payload-codec.js';
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
}): { ctx: AssetContext; metadata: Record<string, MetadataValue> } {
  const metadata: Record<string, MetadataValue> = {};
  const store: AssetStore = {
    write: (name: string, body: PayloadBody, options?: { contentType?: string }): Promise<PayloadRef> =>
      writeAssetFile(input.objectStore, input.keyPrefix, name, body, options?.contentType),
    open: (ref: PayloadRef) => input.objectStore.open(ref),
  };
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
