import { randomUUID } from 'node:crypto';
import { Not, type DataSource, type EntityManager } from 'typeorm';
import { APPLICATION_JSON } from '../io/content-type.js';
import { joinObjectKey } from '../io/object-key.js';
import type { ObjectStore } from '../io/object-store.port.js';
import { decodeOutput } from '../io/payload-codec.js';
import type { PayloadRef } from '../sdk/payload-ref.js';
import { AttemptEntity } from '../storage/entities/attempt.entity.js';
import { CheckpointEntity } from '../storage/entities/checkpoint.entity.js';
import { StepEntity } from '../storage/entities/step.entity.js';
import { appendEvents } from '../storage/event-log.js';

export { CheckpointStateError } from './checkpoint-state.js';

/** Folder, inside the attempt's key prefix, of checkpoint states too large to inline. */
export const CHECKPOINTS_DIR = 'checkpoints';

/**
 * Thrown by `ctx.checkpoint` when its attempt is not the step's current running attempt any
 * more (declared lost, cancelled, already finished): a zombie attempt must not overwrite the
 * progress of the attempt that replaced it. Nothing was saved.
 */
export class StaleAttemptError extends Error {
  constructor(assetKey: string, attemptNumber: number, reason: string) {
    super(
      `ctx.checkpoint: attempt ${attemptNumber} of ${assetKey} is no longer the step's running attempt ` +
        `(${reason}); the checkpoint was not saved`,
    );
    this.name = 'StaleAttemptError';
  }
}

/** The attempt a {@link CheckpointWriter} saves for, and where. */
export interface CheckpointTarget {
  readonly dataSource: DataSource;
  readonly objectStore: ObjectStore;
  /** States of at most this many bytes of JSON are kept in the database. */
  readonly inlineLimit: number;
  /** The attempt's key prefix, `runs/<runId>/<stepId>/<attemptId>`. */
  readonly keyPrefix: string;
  readonly runId: string;
  readonly stepId: string;
  readonly attemptId: string;
  readonly attemptNumber: number;
  readonly assetKey: string;
}

/**
 * `ctx.checkpoint` of one attempt: each call commits a `checkpoints` row (state inline, or a
 * reference to `<keyPrefix>/checkpoints/<n>.json`) and a `step.checkpoint` event in its own
 * transaction, after checking under the step's lock that the attempt is still the running one.
 * `n` counts the step's checkpoints across its attempts.
 */
export class CheckpointWriter {
  private count: number;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly target: CheckpointTarget,
    /** Checkpoints saved by earlier attempts: numbers go on from there, across the step's attempts. */
    saved: number,
    /** Runs before each write (flushes the attempt's log lines so the event log stays in order). */
    private readonly beforeWrite: () => Promise<void> = async () => {},
  ) {
    this.count = saved;
  }

  /**
   * Saves a state the isolate already serialized with `serializeCheckpointState` (so the state
   * saved is the one passed, even if the caller mutates it before the write's turn comes).
   * Writes go one at a time in call order: numbers and created_at then follow the calls.
   */
  saveJson(json: string): Promise<void> {
    const written = this.queue.then(() => this.write(json));
    this.queue = written.catch(() => undefined);
    return written;
  }

  private async write(json: string): Promise<void> {
    const { dataSource, objectStore, inlineLimit, keyPrefix } = this.target;
    const number = ++this.count;
    await this.beforeWrite();
    const size = Buffer.byteLength(json);
    // PostgreSQL's jsonb rejects \u0000 in strings, so such states go to the object store whatever their size.
    const inline = size <= inlineLimit && !json.includes('\\u0000');
    let ref: PayloadRef | null = null;
    if (!inline) {
      // Checked before uploading too, so a zombie attempt leaves no object behind either.
      await this.ensureCurrent(dataSource.manager, false);
      const key = joinObjectKey(keyPrefix, CHECKPOINTS_DIR, `${number}.json`);
      ref = await objectStore.put(key, Buffer.from(json, 'utf8'), { contentType: APPLICATION_JSON });
    }
    await dataSource.transaction(async (m) => {
      await this.ensureCurrent(m, true);
      // created_at orders a step's checkpoints (the resume state is the latest); it is forced to
      // grow strictly, as two checkpoints can fall in the same clock tick.
      await m.query(
        `INSERT INTO checkpoints (id, step_id, attempt_id, state_inline, state_ref, created_at)
         SELECT $1, $2, $3, $4::jsonb, $5::jsonb,
                GREATEST(now(), (SELECT max(created_at) + interval '1 microsecond' FROM checkpoints WHERE step_id = $2))`,
        [randomUUID(), this.target.stepId, this.target.attemptId, inline ? json : null, ref && JSON.stringify(ref)],
      );
      // The state itself never goes into the event log: it may be large or sensitive.
      await appendEvents(m, [
        {
          type: 'step.checkpoint',
          message: `checkpoint ${number} saved (${ref ? `stored at ${ref.uri}` : 'inline'}, ${size} bytes)`,
          runId: this.target.runId,
          stepId: this.target.stepId,
          attemptId: this.target.attemptId,
          assetKey: this.target.assetKey,
          data: { checkpoint: number, attempt: this.target.attemptNumber, size, uri: ref?.uri ?? null },
        },
      ]);
    });
  }

  /** Throws {@link StaleAttemptError} unless the attempt is its step's current running attempt. */
  private async ensureCurrent(manager: EntityManager, lock: boolean): Promise<void> {
    const { stepId, attemptId, assetKey, attemptNumber } = this.target;
    // Locking the step row serializes with the transitions (lost, failed, succeeded, cancelled),
    // which lock it first too.
    const step = await manager
      .getRepository(StepEntity)
      .findOne({ where: { id: stepId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    const attempt = await manager.getRepository(AttemptEntity).findOneBy({ id: attemptId });
    const reason = !step
      ? 'its step no longer exists'
      : !attempt
        ? 'the attempt no longer exists'
        : attempt.status !== 'running'
          ? `the attempt is ${attempt.status}`
          : step.status !== 'running'
            ? `the step is ${step.status}`
            : attempt.number !== step.attemptCount
              ? `attempt ${step.attemptCount} replaced it`
              : undefined;
    if (reason !== undefined) throw new StaleAttemptError(assetKey, attemptNumber, reason);
  }
}

/** What an attempt inherits from the earlier attempts of its step. */
export interface ResumeState {
  /** The state of the most recent checkpoint of an earlier attempt, or `undefined` when none was saved. */
  readonly state: unknown;
  /** How many checkpoints earlier attempts saved: this attempt numbers its own from there. */
  readonly saved: number;
}

/** Reads the {@link ResumeState} of an attempt that is about to run. */
export async function loadResumeState(
  dataSource: DataSource,
  objectStore: ObjectStore,
  stepId: string,
  attempt: { readonly id: string; readonly number: number },
): Promise<ResumeState> {
  // A first attempt has nothing earlier to resume from: spare every step those queries.
  if (attempt.number === 1) return { state: undefined, saved: 0 };
  const repository = dataSource.getRepository(CheckpointEntity);
  const earlier = { stepId, attemptId: Not(attempt.id) };
  const row = await repository.findOne({ where: earlier, order: { createdAt: 'DESC' } });
  if (!row) return { state: undefined, saved: 0 };
  const saved = await repository.countBy(earlier);
  if (!row.stateRef) return { state: row.stateInline ?? null, saved };
  try {
    return { state: await decodeOutput({ valueType: 'json', inline: null, ref: row.stateRef }, objectStore), saved };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`could not read the checkpoint to resume from (${row.stateRef.uri}): ${reason}`, { cause: error });
  }
}
