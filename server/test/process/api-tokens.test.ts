import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  apiFetch,
  killHard,
  readCliToken,
  runWeir,
  spawnWeir,
  waitForApi,
  type WeirProcess,
} from '../support/weir-process.js';

const PROJECT = fileURLToPath(new URL('../fixtures/cli-project/index.ts', import.meta.url));
const TOKEN = /weir_[0-9a-f]{8}_[A-Za-z0-9_-]{43}/;
const FIRST_START = /first start - admin API token \(shown once, store it now\): (weir_\S+)/;

// The REST API of `weir dev` with authentication on, and `weir token` both through it and
// directly on the data directory.
describe('API tokens: weir token and a running weir dev (PGlite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weir-tokens-'));
  const dataDir = join(dir, '.weir');
  const env = { WEIR_PROJECT: PROJECT, WEIR_DATA_DIR: dataDir };
  const printed: string[] = [];
  let dev: WeirProcess | undefined;
  let api = '';

  afterAll(async () => {
    if (dev && dev.child.exitCode === null) await killHard(dev);
    rmSync(dir, { recursive: true, force: true });
  });

  async function startDev(): Promise<void> {
    dev = spawnWeir(['dev', '--port', '0', '--no-watch'], env);
    api = await waitForApi(dataDir, dev);
  }

  async function stopDev(): Promise<void> {
    dev!.child.kill('SIGTERM');
    expect(await dev!.exited).toBe(0);
  }

  it('first start prints an admin token once, keeps a 0600 CLI credential, and refuses requests without a token', async () => {
    await startDev();
    const first = FIRST_START.exec(dev!.output())?.[1];
    expect(first).toMatch(TOKEN);
    printed.push(first!);
    expect(statSync(join(dataDir, 'cli-token')).mode & 0o777).toBe(0o600);
    expect(readCliToken(dataDir)).toMatch(TOKEN);
    expect(readCliToken(dataDir)).not.toBe(first);

    expect((await fetch(`${api}/healthz`)).status).toBe(200);
    const anonymous = await fetch(`${api}/api/runs`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await anonymous.json()) as { message: string }).message).toContain('missing API token');
    expect((await apiFetch(api, '/api/runs', {}, first)).status).toBe(200);
  }, 120_000);

  it('weir token create → the token works over REST with its role → weir token revoke → 401', async () => {
    const created = await runWeir(['token', 'create', '--role', 'operator', '--name', 'ci'], env);
    expect(created.code, created.output).toBe(0);
    expect(created.output).toContain('shown once');
    const token = TOKEN.exec(created.output)![0];
    printed.push(token);

    expect((await apiFetch(api, '/api/runs', {}, token)).status).toBe(200);
    const run = await apiFetch(
      api,
      '/api/runs',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ selection: 'group:ok' }),
      },
      token,
    );
    expect(run.status).toBe(201);
    const forbidden = await apiFetch(api, '/api/tokens', {}, token);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { message: string }).message).toBe(
      "this needs the admin role or stronger; the caller's token has the operator role",
    );

    const list = await runWeir(['token', 'list', '--json'], env);
    expect(list.code, list.output).toBe(0);
    expect(list.output).not.toContain(token);
    const tokens = JSON.parse(list.output) as Array<{ id: string; name: string; role: string; lastUsedAt: string }>;
    const ci = tokens.find((t) => t.name === 'ci')!;
    expect(ci).toMatchObject({ role: 'operator', lastUsedAt: expect.any(String) });
    expect(tokens.map((t) => t.name)).toEqual(['admin (first start)', 'weir-cli (local)', 'ci']);

    const revoke = await runWeir(['token', 'revoke', ci.id.slice(0, 8)], env);
    expect(revoke.code, revoke.output).toBe(0);
    expect(revoke.output).toContain(`revoked operator token 'ci'`);
    const refused = await apiFetch(api, '/api/runs', {}, token);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { message: string }).message).toBe('invalid or revoked API token');

    const badRole = await runWeir(['token', 'create', '--role', 'superuser'], env);
    expect(badRole.code).toBe(2);
    expect(badRole.output).toContain("unknown role 'superuser': --role must be one of viewer, operator, admin");
    const unknown = await runWeir(['token', 'revoke', 'abcdef12'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toContain("no API token matches 'abcdef12'");
  }, 120_000);

  it('the console signs in with a token and gets an httpOnly session cookie', async () => {
    const created = await runWeir(['token', 'create', '--role', 'viewer', '--name', 'console', '--json'], env);
    const { token } = JSON.parse(created.output) as { token: string };
    printed.push(token);
    const bad = await fetch(`${api}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: `${token}x` }),
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();

    const signIn = await fetch(`${api}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(signIn.status).toBe(200);
    expect(await signIn.json()).toMatchObject({ name: 'console', role: 'viewer' });
    const setCookie = signIn.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^weir_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(setCookie).not.toContain(token);
    const cookie = setCookie.split(';')[0]!;

    const me = await fetch(`${api}/api/session`, { headers: { cookie } });
    expect(await me.json()).toMatchObject({ signedIn: true, name: 'console', role: 'viewer' });
    expect((await fetch(`${api}/api/runs`, { headers: { cookie } })).status).toBe(200);
    // The console's own origin (browsers send it): refused for the viewer's role, not the origin.
    const write = await fetch(`${api}/api/runs`, {
      method: 'POST',
      headers: { cookie, origin: api, 'content-type': 'application/json' },
      body: JSON.stringify({ selection: 'group:ok' }),
    });
    expect(write.status).toBe(403);
    expect(((await write.json()) as { error: string }).error).toBe('ForbiddenRoleError');

    // Behind a proxy that terminated TLS, the cookie only ever travels over HTTPS.
    const behindTls = await fetch(`${api}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ token }),
    });
    expect(behindTls.headers.get('set-cookie')).toMatch(/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);

    const signOut = await fetch(`${api}/api/session`, { method: 'DELETE', headers: { cookie, origin: api } });
    expect(signOut.status).toBe(200);
    expect(signOut.headers.get('set-cookie')).toMatch(/^weir_session=;.*Max-Age=0$/);
    // Signed out: the session no longer authenticates anything; "who am I" says so with a 200.
    const after = await fetch(`${api}/api/session`, { headers: { cookie } });
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ signedIn: false });
    expect((await fetch(`${api}/api/runs`, { headers: { cookie } })).status).toBe(401);
  }, 120_000);

  it('without weir dev, weir token works on the data directory; a restart reuses the CLI credential and prints no token', async () => {
    const credential = readCliToken(dataDir);
    await stopDev();
    const before = dev!.output();
    for (const token of printed.slice(1)) expect(before).not.toContain(token);

    const created = await runWeir(['token', 'create', '--role', 'viewer', '--name', 'offline'], env);
    expect(created.code, created.output).toBe(0);
    const offline = TOKEN.exec(created.output)![0];
    const list = await runWeir(['token', 'list'], env);
    expect(list.code, list.output).toBe(0);
    expect(list.output).toMatch(/offline\s+viewer/);
    expect(list.output).toMatch(/ci\s+operator .*revoked/);

    await startDev();
    expect(dev!.output()).not.toMatch(FIRST_START);
    expect(readFileSync(join(dataDir, 'cli-token'), 'utf8').trim()).toBe(credential);
    expect((await apiFetch(api, '/api/assets', {}, offline)).status).toBe(200);
    const cli = await runWeir(['runs', '--json'], env);
    expect(cli.code, cli.output).toBe(0);
    await stopDev();
  }, 120_000);
});
