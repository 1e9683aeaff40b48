import { describe, expect, it } from 'vitest';
import { arrivedOverHttps, expiredSessionCookie, sessionCookie, sessionSecretOf } from './session-cookie.js';

describe('session cookies', () => {
  it('are httpOnly and same-site strict, and Secure when asked', () => {
    expect(sessionCookie('s3cr3t', 3600.7)).toBe(
      'weir_session=s3cr3t; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600',
    );
    expect(sessionCookie('s3cr3t', 60, { secure: true })).toMatch(/; Max-Age=60; Secure$/);
    expect(expiredSessionCookie({ secure: true })).toBe(
      'weir_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure',
    );
  });

  it('tell HTTPS from plain HTTP: TLS on the socket or a proxy that says so', () => {
    expect(arrivedOverHttps({ headers: {} })).toBe(false);
    expect(arrivedOverHttps({ headers: {}, socket: { encrypted: true } })).toBe(true);
    expect(arrivedOverHttps({ headers: { 'x-forwarded-proto': 'https' } })).toBe(true);
    expect(arrivedOverHttps({ headers: { 'x-forwarded-proto': 'HTTPS, http' } })).toBe(true);
    expect(arrivedOverHttps({ headers: { 'x-forwarded-proto': 'http' } })).toBe(false);
    expect(arrivedOverHttps({ headers: { 'x-forwarded-proto': ['https', 'http'] } })).toBe(true);
  });

  it('read the session secret among other cookies', () => {
    expect(sessionSecretOf({ cookie: 'a=1; weir_session=abc; b=2' })).toBe('abc');
    expect(sessionSecretOf({ cookie: 'a=1' })).toBeUndefined();
  });
});
