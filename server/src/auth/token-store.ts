import type { EntityManager } from 'typeorm';
import type { Principal, Role } from './principal.js';

/** An API token as the API and CLI show it: never the token nor its hash. */
export interface ApiTokenView {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** What verifying a presented token needs of its row. */
export interface TokenHashRow {
  readonly id: string;
  readonly salt: string;
  readonly hash: string;
}

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  created_at: Date | string;
  revoked_at: Date | string | null;
  last_used_at: Date | string | null;
}

const VIEW_COLUMNS = 'id, name, role, created_at, revoked_at, last_used_at';
const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

function toView(row: TokenRow): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: iso(row.created_at)!,
    revokedAt: iso(row.revoked_at),
    lastUsedAt: iso(row.last_used_at),
  };
}

/** Rows of an `UPDATE … RETURNING` through TypeORM: pg gives `[rows, count]`, PGlite the rows. */
function returnedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as T[];
}

// Ids whose text starts with an 8-hex-digit prefix, as a range the primary key index answers.
function prefixRange(prefix: string): [string, string] {
  return [`${prefix}-0000-0000-0000-000000000000`, `${prefix}-ffff-ffff-ffff-ffffffffffff`];
}

/** Writes a token row (its hash, never the token) in the caller's transaction. */
export async function insertToken(
  manager: EntityManager,
  row: TokenHashRow & { name: string; role: Role; createdAt: Date },
): Promise<ApiTokenView> {
  const rows: TokenRow[] = await manager.query(
    `INSERT INTO api_tokens (id, name, role, salt, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING ${VIEW_COLUMNS}`,
    [row.id, row.name, row.role, row.salt, row.hash, row.createdAt],
  );
  return toView(rows[0]!);
}

/** Whether any token row (revoked or not) has an id starting with `prefix` (8 hex digits). */
export async function prefixInUse(manager: EntityManager, prefix: string): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM api_tokens WHERE id BETWEEN $1 AND $2 LIMIT 1`,
    prefixRange(prefix),
  );
  return rows.length > 0;
}

/** The unrevoked tokens whose id starts with `prefix`, to verify a presented token against. */
export function liveTokensWithPrefix(
  manager: EntityManager,
  prefix: string,
): Promise<Array<TokenHashRow & { name: string; role: Role }>> {
  return manager.query(
    `SELECT id, name, role, salt, hash FROM api_tokens WHERE id BETWEEN $1 AND $2 AND revoked_at IS NULL`,
    prefixRange(prefix),
  );
}

/** The principal of token `id` if it is not revoked: one primary-key lookup. */
export async function livePrincipal(manager: EntityManager, id: string): Promise<Principal | null> {
  const rows: Array<{ name: string; role: Role }> = await manager.query(
    `SELECT name, role FROM api_tokens WHERE id = $1 AND revoked_at IS NULL`,
    [id],
  );
  return rows[0] ? { tokenId: id, tokenName: rows[0].name, role: rows[0].role } : null;
}

/** Records when a token was last used. */
export async function touchToken(manager: EntityManager, id: string, at: Date): Promise<void> {
  await manager.query(`UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, [id, at]);
}

/** Every token, oldest first. */
export async function listTokenViews(manager: EntityManager): Promise<ApiTokenView[]> {
  const rows: TokenRow[] = await manager.query(`SELECT ${VIEW_COLUMNS} FROM api_tokens ORDER BY created_at, id`);
  return rows.map(toView);
}

/** Ids of the tokens whose id is `idOrPrefix` or starts with it (at most `limit`). */
export async function matchingTokenIds(manager: EntityManager, idOrPrefix: string, limit = 5): Promise<string[]> {
  const rows: Array<{ id: string }> = await manager.query(
    `SELECT id FROM api_tokens WHERE id::text LIKE $1 ORDER BY id LIMIT $2`,
    [`${idOrPrefix}%`, limit],
  );
  return rows.map((row) => row.id);
}

/**
 * Revokes token `id` (kept as it was when already revoked) and ends its sessions, in the
 * caller's transaction. `revoked` is false when the token was revoked before.
 */
export async function revokeTokenRow(
  manager: EntityManager,
  id: string,
  at: Date,
): Promise<{ view: ApiTokenView; revoked: boolean }> {
  const before: Array<{ revoked_at: Date | null }> = await manager.query(
    `SELECT revoked_at FROM api_tokens WHERE id = $1 FOR UPDATE`,
    [id],
  );
  const rows = returnedRows<TokenRow>(
    await manager.query(
      `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING ${VIEW_COLUMNS}`,
      [id, at],
    ),
  );
  await manager.query(`DELETE FROM api_sessions WHERE token_id = $1`, [id]);
  return { view: toView(rows[0]!), revoked: before[0]?.revoked_at === null };
}

/** Whether the database holds any token, revoked or not. */
export async function anyToken(manager: EntityManager): Promise<boolean> {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM api_tokens LIMIT 1`);
  return rows.length > 0;
}
