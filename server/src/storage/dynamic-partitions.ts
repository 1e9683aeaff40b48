import type { EntityManager } from 'typeorm';

/** The keys of dynamic partition sets, each in the order they were added. */
export async function readDynamicPartitions(
  manager: EntityManager,
  sets: readonly string[],
): Promise<Map<string, string[]>> {
  const keys = new Map<string, string[]>(sets.map((set) => [set, []]));
  if (sets.length === 0) return keys;
  const rows: Array<{ set_name: string; key: string }> = await manager.query(
    `SELECT set_name, key FROM dynamic_partitions WHERE set_name = ANY($1::text[]) ORDER BY added_at, key`,
    [sets],
  );
  for (const row of rows) keys.get(row.set_name)!.push(row.key);
  return keys;
}

/** Adds keys to a dynamic partition set; returns those that were not there yet. */
export async function insertDynamicPartitions(
  manager: EntityManager,
  set: string,
  keys: readonly string[],
): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows: Array<{ key: string }> = await manager.query(
    `INSERT INTO dynamic_partitions (set_name, key) SELECT $1, k FROM unnest($2::text[]) WITH ORDINALITY AS t(k, n)
       ORDER BY n ON CONFLICT (set_name, key) DO NOTHING RETURNING key`,
    [set, keys],
  );
  return returnedRows<{ key: string }>(rows).map((row) => row.key);
}

/** Rows of an `INSERT … RETURNING` through TypeORM: pg gives the rows, some drivers `[rows, count]`. */
function returnedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}
