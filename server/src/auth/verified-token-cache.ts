/**
 * Tokens this process verified recently, keyed by the SHA-256 of the token: scrypt is slow by
 * design, so a client sending the same token on every request pays for it once per `ttlMs`.
 * Holds token ids only; whether the token is still unrevoked is checked on every request.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { tokenId: string; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries = 1_000,
  ) {}

  /** The id of the token whose hash is `tokenHash`, if verified within the last `ttlMs`. */
  get(tokenHash: string): string | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.tokenId;
    this.entries.delete(tokenHash);
    return undefined;
  }

  set(tokenHash: string, tokenId: string): void {
    this.entries.delete(tokenHash);
    this.entries.set(tokenHash, { tokenId, until: this.now() + this.ttlMs });
    // Oldest first in a Map's order: drop them beyond the bound.
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }

  /** Drops every entry of a token (revoked in this process). */
  forgetToken(tokenId: string): void {
    for (const [key, entry] of this.entries) if (entry.tokenId === tokenId) this.entries.delete(key);
  }
}
