import { PayloadSerializationError, serializeJson } from '../io/json-serializer.js';

/** Thrown by `ctx.checkpoint` when the state cannot be stored as JSON; nothing was saved. */
export class CheckpointStateError extends TypeError {
  constructor(problem: string, cause?: unknown) {
    super(
      `ctx.checkpoint: the state is not JSON-serializable: ${problem}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = 'CheckpointStateError';
  }
}

/**
 * The JSON a checkpoint stores, captured when `ctx.checkpoint` is called.
 * @throws CheckpointStateError naming the offending value's path.
 */
export function serializeCheckpointState(state: unknown): string {
  if (state === undefined) throw new CheckpointStateError('it is undefined (pass null to record "no progress")');
  try {
    return serializeJson(state);
  } catch (error) {
    if (!(error instanceof PayloadSerializationError)) throw error;
    // serializeJson words its errors for outputs; keep what it found and where.
    const found = /^Cannot serialize the output as JSON: (.*?)\. Return JSON-serializable/s.exec(error.message);
    throw new CheckpointStateError(found?.[1] ?? `${error.path} cannot be stored as JSON`, error);
  }
}
