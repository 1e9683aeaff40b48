import { beforeEach, describe, expect, it } from 'vitest';
import { SessionError, useSession } from '../../src/api/session';
import { fakeFetch } from '../support/fake-fetch';

describe('useSession', () => {
  const session = useSession();

  beforeEach(() => session.forget());

  it('signs in, exposes name and role, and answers can() by rank', async () => {
    const { requests } = fakeFetch(() => ({ body: { tokenId: 't1', name: 'ops-bot', role: 'operator' } }));

    await session.signIn('  weir_secret  ');

    expect(requests[0]).toMatchObject({ url: '/api/session', method: 'POST', body: { token: 'weir_secret' } });
    expect(session.signedIn.value).toBe(true);
    expect(session.name.value).toBe('ops-bot');
    expect(session.role.value).toBe('operator');
    expect(session.can('viewer')).toBe(true);
    expect(session.can('operator')).toBe(true);
    expect(session.can('admin')).toBe(false);
  });

  it('accepts the GraphQL spelling of roles (ADMIN)', async () => {
    fakeFetch(() => ({ body: { tokenId: 't2', name: 'root', role: 'ADMIN' } }));
    await session.refresh();
    expect(session.role.value).toBe('admin');
    expect(session.can('operator')).toBe(true);
  });

  it('rejects a refused token with an UNAUTHENTICATED SessionError and stays signed out', async () => {
    fakeFetch(() => ({ status: 401, body: { message: 'Invalid token' } }));

    const error = await session.signIn('weir_bad').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SessionError);
    expect((error as SessionError).code).toBe('UNAUTHENTICATED');
    expect(session.signedIn.value).toBe(false);
    expect(session.can('viewer')).toBe(false);
  });

  it('treats 401 on GET /api/session as "nobody signed in", not as an error', async () => {
    fakeFetch(() => ({ status: 401, body: { message: 'no session' } }));
    await expect(session.refresh()).resolves.toBeNull();
    expect(session.checked.value).toBe(true);
    expect(session.signedIn.value).toBe(false);
  });

  it('treats 200 { signedIn: false } on GET /api/session as "nobody signed in"', async () => {
    fakeFetch(() => ({ body: { signedIn: false } }));
    await expect(session.refresh()).resolves.toBeNull();
    expect(session.signedIn.value).toBe(false);
    fakeFetch(() => ({ body: { signedIn: true, tokenId: 't1', name: 'ops', role: 'operator' } }));
    await expect(session.refresh()).resolves.toMatchObject({ name: 'ops', role: 'operator' });
    expect(session.can('operator')).toBe(true);
  });

  it('signs out with DELETE and clears the state', async () => {
    fakeFetch(() => ({ body: { tokenId: 't1', name: 'ops', role: 'viewer' } }));
    await session.refresh();
    const { requests } = fakeFetch(() => ({ status: 204 }));

    await session.signOut();

    expect(requests[0]!.method).toBe('DELETE');
    expect(session.signedIn.value).toBe(false);
  });
});
