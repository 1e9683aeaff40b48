/** Partition runs a backfill keeps in flight at once unless told otherwise. */
export const DEFAULT_MAX_CONCURRENT_RUNS = 4;
