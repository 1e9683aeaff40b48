import type { DataSource } from 'typeorm';

/** What the database says must stay in the object store. */
export interface ObjectReferences {
  /** URIs of materialization outputs and checkpoint states. */
  readonly uris: ReadonlySet<string>;
  /**
   * Attempts whose whole key prefix stays: those that materialized (files they wrote may be
   * referenced from inside their output, e.g. a JSON list of PayloadRefs) and those still running.
   */
  readonly attemptIds: ReadonlySet<string>;
}

/**
 * Reads every reference in one snapshot. Read after the store was listed: an attempt that
 * commits in between is seen committed, and one that commits later was running when read.
 */
export async function loadObjectReferences(dataSource: DataSource): Promise<ObjectReferences> {
  return dataSource.transaction('REPEATABLE READ', async (m) => {
    const refs = await m.query<Array<{ uri: string }>>(
      `SELECT output_ref->>'uri' AS uri FROM materializations WHERE output_ref IS NOT NULL
       UNION SELECT state_ref->>'uri' FROM checkpoints WHERE state_ref IS NOT NULL`,
    );
    const attempts = await m.query<Array<{ id: string }>>(
      `SELECT attempt_id::text AS id FROM materializations
       UNION SELECT id::text FROM attempts WHERE status = 'running'`,
    );
    return { uris: new Set(refs.map((r) => r.uri)), attemptIds: new Set(attempts.map((a) => a.id)) };
  });
}
