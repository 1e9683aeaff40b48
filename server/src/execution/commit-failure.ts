import type { DataSource } from 'typeorm';
import { joinObjectKey } from '../io/object-key.js';
import type { ObjectStore } from '../io/object-store.port.js';
import { OUTPUT_BIN_NAME, OUTPUT_JSON_NAME, type EncodedOutput } from '../io/payload-codec.js';
import { CHECKPOINTS_DIR } from './checkpoint-store.js';

/**
 * The asset's output was stored, but recording it (the materialization and the step's success,
 * one transaction) failed: a database outage, a constraint, a value out of range. Weir's failure
 * and not the asset's, recorded as `commit_failed` and retried per the asset's retry policy.
 */
export class CommitFailedError extends Error {
  constructor(cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`the output was stored but recording its materialization failed: ${reason}`, { cause });
    this.name = 'CommitFailedError';
  }
}

/** What became of the objects of an attempt whose commit failed. */
export interface DiscardedObjects {
  readonly deleted: number;
  readonly bytes: number;
  /** Why some or all were left for `weir gc`, or undefined when none were. */
  readonly left?: string;
}

/**
 * Deletes what an attempt stored under its key prefix (its output, the files it wrote), so that a
 * failed commit leaves no orphan behind: the next attempt writes its own, under its own prefix.
 * Its checkpoints stay (their rows reference them, and the next attempt resumes from them).
 *
 * Nothing is deleted unless the database confirms that no materialization of the attempt exists:
 * a commit whose acknowledgement was lost may have succeeded, and then the objects are its output.
 * Deleting is best effort; whatever is left is an orphan that `weir gc` collects.
 */
export async function discardUncommittedObjects(
  dataSource: DataSource,
  store: ObjectStore,
  attempt: { readonly id: string; readonly keyPrefix: string },
  output: EncodedOutput,
): Promise<DiscardedObjects> {
  let committed: boolean;
  try {
    const rows = await dataSource.query<unknown[]>(`SELECT 1 FROM materializations WHERE attempt_id = $1`, [
      attempt.id,
    ]);
    committed = rows.length > 0;
  } catch (error) {
    return { deleted: 0, bytes: 0, left: `the database could not confirm the commit failed: ${message(error)}` };
  }
  if (committed) return { deleted: 0, bytes: 0, left: 'the materialization was recorded after all' };
  if (!store.delete) return { deleted: 0, bytes: 0, left: `the ${store.scheme} store cannot delete objects` };

  const checkpoints = joinObjectKey(attempt.keyPrefix, CHECKPOINTS_DIR) + '/';
  const doomed: Array<{ key: string; size: number }> = [];
  try {
    if (store.list) {
      for await (const object of store.list(`${attempt.keyPrefix}/`)) {
        if (!object.key.startsWith(checkpoints)) doomed.push(object);
      }
    } else {
      // Without a listing only Weir's own output names are known; files the asset wrote wait for gc.
      for (const name of [OUTPUT_BIN_NAME, OUTPUT_JSON_NAME]) {
        const key = joinObjectKey(attempt.keyPrefix, name);
        if (output.ref?.uri === store.uriFor(key)) doomed.push({ key, size: output.ref.size });
      }
    }
  } catch (error) {
    return { deleted: 0, bytes: 0, left: `listing the attempt's objects failed: ${message(error)}` };
  }
  let deleted = 0;
  let bytes = 0;
  let failure: string | undefined;
  for (const object of doomed) {
    try {
      await store.delete(object.key);
      deleted += 1;
      bytes += object.size;
    } catch (error) {
      failure ??= `deleting ${object.key} failed: ${message(error)}`;
    }
  }
  return failure === undefined ? { deleted, bytes } : { deleted, bytes, left: failure };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
