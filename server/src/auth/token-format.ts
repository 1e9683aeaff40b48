import { createHash, randomBytes, randomUUID } from 'node:crypto';

// `weir_` + the first 8 hex digits of the token's id + `_` + 32 random bytes in base64url (43
// characters, which may themselves contain `_` and `-`). The prefix finds the row to verify
// against; the random part is the secret.
const TOKEN_PATTERN = /^weir_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

/** A new API token for the token row `id`; shown once, only its hash is stored. */
export function formatToken(id: string): string {
  return `weir_${idPrefix(id)}_${randomBytes(32).toString('base64url')}`;
}

/** The id prefix a well-formed token carries, or null when `value` is not shaped like a token. */
export function tokenPrefix(value: string): string | null {
  return TOKEN_PATTERN.exec(value)?.[1] ?? null;
}

/** The part of a token id that appears in the token. */
export function idPrefix(id: string): string {
  return id.slice(0, 8);
}

/** A fresh id for a token row. */
export function newTokenId(): string {
  return randomUUID();
}

/** The secret of a new session cookie (32 random bytes, base64url). */
export function newSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 in hex: how session secrets are stored and verified tokens are cached. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
