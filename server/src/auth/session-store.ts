import type { EntityManager } from 'typeorm';
import type { Principal, Role } from './principal.js';

/** Records a session of token `tokenId`, keyed by the SHA-256 of its secret. */
export async function insertSession(
  manager: EntityManager,
  session: { idHash: string; tokenId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  // Expired sessions of every token go at the same time: sign-ins are rare, so this stays cheap.
  await manager.query(`DELETE FROM api_sessions WHERE expires_at <= $1`, [session.createdAt]);
  await manager.query(`INSERT INTO api_sessions (id_hash, token_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`, [
    session.idHash,
    session.tokenId,
    session.createdAt,
    session.expiresAt,
  ]);
}

/** The principal of an unexpired session whose token is not revoked: one indexed query. */
export async function sessionPrincipal(manager: EntityManager, idHash: string, now: Date): Promise<Principal | null> {
  const rows: Array<{ id: string; name: string; role: Role }> = await manager.query(
    `SELECT t.id, t.name, t.role FROM api_sessions s JOIN api_tokens t ON t.id = s.token_id
      WHERE s.id_hash = $1 AND s.expires_at > $2 AND t.revoked_at IS NULL`,
    [idHash, now],
  );
  const row = rows[0];
  return row ? { tokenId: row.id, tokenName: row.name, role: row.role } : null;
}

/** Ends a session (nothing happens when there is none). */
export async function deleteSession(manager: EntityManager, idHash: string): Promise<void> {
  await manager.query(`DELETE FROM api_sessions WHERE id_hash = $1`, [idHash]);
}
