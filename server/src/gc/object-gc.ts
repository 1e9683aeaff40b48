import type { DataSource } from 'typeorm';
import type { ObjectStore, StoredObject } from '../io/object-store.port.js';
import { loadObjectReferences, type ObjectReferences } from './object-references.js';

/** Where Weir writes: `runs/<runId>/<stepId>/<attemptId>/…`. Objects elsewhere are not Weir's to judge. */
export const GC_PREFIX = 'runs/';

export interface GcOptions {
  readonly dataSource: DataSource;
  readonly store: ObjectStore;
  /** Orphans younger than this stay: they may belong to an attempt about to commit. */
  readonly safetyWindowMs: number;
  /** Report what would be deleted, delete nothing. */
  readonly dryRun?: boolean;
  readonly now?: () => Date;
  /** Each object deleted (or, in a dry run, that would be). */
  readonly onOrphan?: (object: StoredObject) => void;
}

/** What one collection found and did; sizes in bytes. */
export interface GcReport {
  readonly dryRun: boolean;
  readonly scanned: { readonly count: number; readonly bytes: number };
  readonly referenced: { readonly count: number; readonly bytes: number };
  /** Orphans kept because they are younger than the safety window. */
  readonly recent: { readonly count: number; readonly bytes: number };
  /** Orphans deleted (in a dry run: that would be). */
  readonly deleted: { readonly count: number; readonly bytes: number };
  /** Deletes that failed; the objects stay for the next collection. */
  readonly failed: { readonly count: number; readonly firstError: string | null };
}

/** The store cannot be collected: it lacks `list` or `delete` (a plugin built on an older `weir/plugin`). */
export class GcUnsupportedError extends Error {
  constructor(store: ObjectStore) {
    super(`the ${store.scheme}:// object store cannot list or delete objects, so it cannot be garbage-collected`);
    this.name = 'GcUnsupportedError';
  }
}

/**
 * Deletes the objects under `runs/` that nothing references (no materialization, checkpoint or
 * running attempt) and that are older than the safety window: the outputs of failed attempts,
 * of attempts whose commit failed while the database was unreachable, of workers that died.
 */
export async function collectGarbage(options: GcOptions): Promise<GcReport> {
  const { store } = options;
  if (!store.list || !store.delete) throw new GcUnsupportedError(store);
  const dryRun = options.dryRun ?? false;
  const cutoff = (options.now?.() ?? new Date()).getTime() - options.safetyWindowMs;
  // Listed first, then the references: see loadObjectReferences.
  const objects: StoredObject[] = [];
  for await (const object of store.list(GC_PREFIX)) objects.push(object);
  const references = await loadObjectReferences(options.dataSource);

  const scanned = tally();
  const referenced = tally();
  const recent = tally();
  const deleted = tally();
  let failures = 0;
  let firstError: string | null = null;
  for (const object of objects) {
    add(scanned, object);
    if (isReferenced(object, store, references)) add(referenced, object);
    else if (object.lastModified.getTime() > cutoff) add(recent, object);
    else {
      try {
        if (!dryRun) await store.delete(object.key);
        add(deleted, object);
        options.onOrphan?.(object);
      } catch (error) {
        failures += 1;
        firstError ??= `${object.key}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
  }
  return { dryRun, scanned, referenced, recent, deleted, failed: { count: failures, firstError } };
}

function isReferenced(object: StoredObject, store: ObjectStore, references: ObjectReferences): boolean {
  // runs/<runId>/<stepId>/<attemptId>/…
  const attemptId = object.key.split('/')[3];
  if (attemptId !== undefined && references.attemptIds.has(attemptId)) return true;
  return references.uris.has(store.uriFor(object.key));
}

function tally(): { count: number; bytes: number } {
  return { count: 0, bytes: 0 };
}

function add(total: { count: number; bytes: number }, object: StoredObject): void {
  total.count += 1;
  total.bytes += object.size;
}
