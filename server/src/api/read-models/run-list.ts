import type { EntityManager } from 'typeorm';
import type { KeysetCursor } from '../graphql/pagination.js';
import { RUN_COLUMNS, toRunRow, type RawRunRow, type RunRow } from './run-rows.js';

/** Filters of the runs list; every field optional. */
export interface RunFilter {
  readonly status?: readonly string[];
  readonly trigger?: readonly string[];
  /** Runs with a step of this asset. */
  readonly asset?: string;
  readonly createdAfter?: Date;
  readonly createdBefore?: Date;
}

/**
 * One page of runs, newest first, by keyset (created_at, id) — one query, whatever the page
 * number: deep pages cost what the first one does. Returns one row more than asked when
 * there is a next page.
 */
export async function listRunsPage(
  manager: EntityManager,
  filter: RunFilter,
  first: number,
  after: KeysetCursor | null,
): Promise<{ rows: RunRow[]; hasNextPage: boolean }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.status?.length) where.push(`r.status = ANY(${param(filter.status)}::text[])`);
  if (filter.trigger?.length) where.push(`r.trigger = ANY(${param(filter.trigger)}::text[])`);
  if (filter.asset) where.push(`r.id IN (SELECT s.run_id FROM steps s WHERE s.asset_key = ${param(filter.asset)})`);
  if (filter.createdAfter) where.push(`r.created_at >= ${param(filter.createdAfter)}`);
  if (filter.createdBefore) where.push(`r.created_at < ${param(filter.createdBefore)}`);
  if (after) where.push(`(r.created_at, r.id) < (${param(after.at)}::timestamptz, ${param(after.id)}::uuid)`);
  const raw = (await manager.query(
    `SELECT ${RUN_COLUMNS} FROM runs r ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY r.created_at DESC, r.id DESC LIMIT ${param(first + 1)}`,
    params,
  )) as RawRunRow[];
  const rows = raw.map(toRunRow);
  return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
}
