import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthService } from '../../src/auth/auth-service.js';
import { openDatabase, type OpenedDatabase } from '../../src/storage/data-source.factory.js';
import { openTestDatabase, STORAGE_BACKENDS, type StorageBackend } from '../support/databases.js';

const IP = '203.0.113.7';
const TOKEN_SHAPE = /^weir_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` }, ip: IP });

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2025-06-01T12:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe.each(STORAGE_BACKENDS)('API tokens and sessions on %s', (backend: StorageBackend) => {
  let db: OpenedDatabase;
  let clock: ReturnType<typeof manualClock>;
  let auth: AuthService;

  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(async () => {
    await db?.close();
  });
  /**
   * A second process's view of the same database: its own connections on PostgreSQL; on
   * PGlite (one in-memory database per process) the same data source.
   */
  async function secondProcess(): Promise<{ dataSource: OpenedDatabase['dataSource']; close(): Promise<void> }> {
    if (backend === 'pglite') return { dataSource: db.dataSource, close: async () => {} };
    return openDatabase(db.target);
  }

  beforeEach(async () => {
    await db.dataSource.query('DELETE FROM api_sessions');
    await db.dataSource.query('DELETE FROM api_tokens');
    clock = manualClock();
    auth = new AuthService(db.dataSource, { clock: clock.now, failuresPerMinute: 3 });
  });

  it('create → authenticate → revoke → rejected at once', async () => {
    const { token, apiToken } = await auth.createToken({ name: 'ci', role: 'operator' });
    expect(token).toMatch(TOKEN_SHAPE);
    expect(token.slice(5, 13)).toBe(apiToken.id.slice(0, 8));
    expect(apiToken).toMatchObject({ name: 'ci', role: 'operator', revokedAt: null, lastUsedAt: null });

    expect(await auth.authenticate(bearer(token))).toEqual({ tokenId: apiToken.id, tokenName: 'ci', role: 'operator' });
    // Cached now; still answered from the database's revocation state.
    expect((await auth.authenticate(bearer(token))).tokenId).toBe(apiToken.id);
    expect((await auth.listTokens())[0]!.lastUsedAt).toBe(clock.now().toISOString());

    const revoked = await auth.revokeToken(apiToken.id.slice(0, 8));
    expect(revoked).toMatchObject({ id: apiToken.id, revokedAt: clock.now().toISOString() });
    await expect(auth.authenticate(bearer(token))).rejects.toMatchObject({
      name: 'AuthError',
      status: 401,
      message: 'invalid or revoked API token',
    });
    // Revoking again changes nothing.
    expect((await auth.revokeToken(apiToken.id)).revokedAt).toBe(revoked.revokedAt);
  });

  it('a revocation by another process holds at once, though this one cached the token', async () => {
    const other = await secondProcess();
    try {
      const elsewhere = new AuthService(other.dataSource, { clock: clock.now });
      const { token, apiToken } = await auth.createToken({ name: 'airflow', role: 'viewer' });
      await auth.authenticate(bearer(token));
      await elsewhere.revokeToken(apiToken.id);
      await expect(auth.authenticate(bearer(token))).rejects.toMatchObject({ name: 'AuthError' });
    } finally {
      await other.close();
    }
  });

  it('stores a salted hash, never the token; the event log names the token but holds no secret', async () => {
    const { token, apiToken } = await auth.createToken({ name: 'hash-check', role: 'admin' });
    await auth.createSession(token, IP);
    await auth.revokeToken(apiToken.id);
    const rows: Array<Record<string, unknown>> = await db.dataSource.query('SELECT * FROM api_tokens');
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]+=*$/);
    expect(row.salt).toMatch(/^[0-9a-f]{32}$/);
    const secret = token.slice(14);
    const everything = JSON.stringify(
      await Promise.all([
        db.dataSource.query('SELECT * FROM api_tokens'),
        db.dataSource.query('SELECT * FROM api_sessions'),
        db.dataSource.query('SELECT * FROM event_log'),
      ]),
    );
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(secret);
    const events: Array<{ type: string; message: string; data: Record<string, unknown> }> = await db.dataSource.query(
      `SELECT type, message, data FROM event_log WHERE data->>'tokenId' = $1 ORDER BY id`,
      [apiToken.id],
    );
    expect(events.map((e) => e.type)).toEqual(['auth.token_created', 'auth.token_revoked']);
    expect(events[0]!.data).toEqual({ tokenId: apiToken.id, name: 'hash-check', role: 'admin' });
  });

  it('refuses malformed, unknown and tampered tokens', async () => {
    const { token } = await auth.createToken({ name: 'real', role: 'viewer' });
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const presented of ['nonsense', `weir_00000000_${'x'.repeat(43)}`, tampered]) {
      await expect(
        auth.authenticate({ headers: { authorization: `Bearer ${presented}` }, ip: presented }),
      ).rejects.toMatchObject({ name: 'AuthError', status: 401 });
    }
    await expect(auth.authenticate({ headers: {}, ip: IP })).rejects.toMatchObject({
      name: 'AuthError',
      message: expect.stringContaining("missing API token: send 'Authorization: Bearer <token>'"),
    });
    await expect(auth.authenticate({ headers: { authorization: 'Basic abc' }, ip: IP })).rejects.toMatchObject({
      name: 'AuthError',
    });
  });

  it('limits failed attempts per client address and token; successes do not count; the window passes', async () => {
    const { token } = await auth.createToken({ name: 'ok', role: 'viewer' });
    const wrong = `weir_${token.slice(5, 13)}_${'A'.repeat(43)}`;
    // Successes from the attacker's address are not failures.
    for (let i = 0; i < 5; i++) await auth.authenticate(bearer(token));
    for (let i = 0; i < 3; i++) await expect(auth.authenticate(bearer(wrong))).rejects.toMatchObject({ status: 401 });
    await expect(auth.authenticate(bearer(wrong))).rejects.toMatchObject({
      name: 'RateLimitedError',
      status: 429,
      retryAfterSeconds: 60,
    });
    // A token never verified in this process is not refused for someone else's failures from
    // the same address (everyone behind one proxy shares it), nor is its sign-in…
    const fresh = (await auth.createToken({ name: 'fresh', role: 'viewer' })).token;
    expect((await auth.authenticate(bearer(fresh))).tokenName).toBe('fresh');
    expect((await auth.createSession(fresh, IP)).principal.tokenName).toBe('fresh');
    // …while the guessed token stays locked from that address, and only from it.
    await expect(auth.authenticate(bearer(`${wrong.slice(0, -1)}B`))).rejects.toMatchObject({
      name: 'RateLimitedError',
    });
    await expect(auth.authenticate({ ...bearer(wrong), ip: '198.51.100.1' })).rejects.toMatchObject({ status: 401 });
    clock.advance(60_000);
    await expect(auth.authenticate(bearer(wrong))).rejects.toMatchObject({ status: 401 });
  });

  it('sessions: a cookie authenticates until it expires, is ended or its token is revoked', async () => {
    auth = new AuthService(db.dataSource, { clock: clock.now, sessionTtlMs: 60 * 60 * 1000 });
    const { token, apiToken } = await auth.createToken({ name: 'console', role: 'operator' });
    const { setCookie, principal } = await auth.createSession(token, IP);
    expect(principal).toEqual({ tokenId: apiToken.id, tokenName: 'console', role: 'operator' });
    expect(setCookie).toMatch(/^weir_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600$/);
    const cookie = setCookie.split(';')[0]!;
    const withCookie = { headers: { cookie: `theme=dark; ${cookie}` }, ip: IP };
    expect(await auth.authenticate(withCookie)).toEqual(principal);
    const stored: Array<{ id_hash: string }> = await db.dataSource.query('SELECT id_hash FROM api_sessions');
    expect(stored[0]!.id_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(cookie).not.toContain(stored[0]!.id_hash);

    clock.advance(60 * 60 * 1000);
    await expect(auth.authenticate(withCookie)).rejects.toMatchObject({ name: 'AuthError' });

    const second = (await auth.createSession(token, IP)).setCookie.split(';')[0]!;
    expect(await auth.authenticate({ headers: { cookie: second }, ip: IP })).toEqual(principal);
    expect(await auth.endSession({ cookie: second })).toMatch(/^weir_session=; .*Max-Age=0$/);
    await expect(auth.authenticate({ headers: { cookie: second }, ip: IP })).rejects.toMatchObject({
      name: 'AuthError',
    });

    const third = (await auth.createSession(token, IP)).setCookie.split(';')[0]!;
    await auth.revokeToken(apiToken.id);
    await expect(auth.authenticate({ headers: { cookie: third }, ip: IP })).rejects.toMatchObject({
      name: 'AuthError',
    });
    expect(await db.dataSource.query('SELECT * FROM api_sessions')).toEqual([]);
  });

  it('validates roles, names and ids, naming the culprit', async () => {
    await expect(auth.createToken({ name: 'x', role: 'root' as never })).rejects.toMatchObject({
      name: 'TokenInputError',
      message: "unknown role 'root': expected one of viewer, operator, admin",
    });
    await expect(auth.createToken({ name: '  ', role: 'viewer' })).rejects.toMatchObject({ name: 'TokenInputError' });
    await expect(auth.revokeToken('0123abcd')).rejects.toMatchObject({
      name: 'TokenNotFoundError',
      status: 404,
      message: expect.stringContaining("'0123abcd'"),
    });
    const pasted = 'weir_0123abcd_not-a-real-secret-but-long-enough';
    const error = (await auth.revokeToken(pasted).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;
    expect(error).toMatchObject({ name: 'TokenNotFoundError' });
    expect(error.message).not.toContain(pasted);
    // The token itself revokes by the id prefix it carries.
    const { token, apiToken } = await auth.createToken({ name: 'leaked', role: 'viewer' });
    expect((await auth.revokeToken(token)).id).toBe(apiToken.id);
  });

  it('bootstraps one admin token on an empty database, never again', async () => {
    const token = await auth.bootstrapAdminToken();
    expect(token).toMatch(TOKEN_SHAPE);
    expect((await auth.authenticate(bearer(token!))).role).toBe('admin');
    expect(await auth.bootstrapAdminToken()).toBeNull();
    // Revoked tokens count: a restart after revoking everything does not print a new admin token.
    await auth.revokeToken((await auth.listTokens())[0]!.id);
    expect(await auth.bootstrapAdminToken()).toBeNull();
  });

  it('two processes bootstrapping together create one admin token', async () => {
    const other = await secondProcess();
    try {
      const results = await Promise.all([
        auth.bootstrapAdminToken(),
        new AuthService(other.dataSource).bootstrapAdminToken(),
      ]);
      expect(results.filter((token) => token !== null)).toHaveLength(1);
      expect(await auth.listTokens()).toHaveLength(1);
    } finally {
      await other.close();
    }
  });
});
