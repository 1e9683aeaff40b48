import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleDirectory } from '../../src/api/console-assets.js';
import { asset } from '../../src/sdk/asset.js';
import { signInCookie } from '../support/console-session.js';
import { STORAGE_BACKENDS, type StorageBackend } from '../support/databases.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';

const ONE = asset({ key: 'surface/one', materialize: () => 1 });

// What anyone on the network sees of a Weir server: the probes, the headers, the console.
describe.each(STORAGE_BACKENDS)('the public HTTP surface on %s', (backend: StorageBackend) => {
  let h: GraphQLHarness;
  beforeAll(async () => {
    h = await startGraphQL(backend, [ONE]);
  }, 60_000);
  afterAll(() => h?.close());

  it('/healthz answers only ok, without credentials', async () => {
    const response = await fetch(`${h.url}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('ok');
  });

  it('/readyz tells anonymous callers (and bad credentials) only the status, authenticated ones the details', async () => {
    const credentials: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer weir_00000000_nope' },
      { cookie: 'weir_session=forged' },
    ];
    for (const headers of credentials) {
      const response = await fetch(`${h.url}/readyz`, { headers });
      expect(response.status).toBe(200);
      expect(await response.json(), JSON.stringify(headers)).toEqual({ status: 'ready' });
    }
    const expected = {
      status: 'ready',
      failing: [],
      checks: { database: { ok: true, probed: true } },
      process: {
        pid: process.pid,
        database: backend,
        project: 'test',
        assets: 1,
        definitionsHash: h.engine.engine.graph.hash,
      },
    };
    const token = await fetch(`${h.url}/readyz`, { headers: { authorization: `Bearer ${h.tokens.viewer}` } });
    expect(await token.json()).toMatchObject(expected);
    const session = await fetch(`${h.url}/readyz`, { headers: { cookie: await signInCookie(h.url, h.tokens.viewer) } });
    expect(await session.json()).toMatchObject(expected);
  });

  it('sends the security headers on console, API, GraphQL and probe responses, and no X-Powered-By', async () => {
    const script = readdirSync(`${consoleDirectory()}/assets`).find((file) => file.endsWith('.js'))!;
    const requests: Array<[string, RequestInit]> = [
      ['/', { headers: { accept: 'text/html' } }],
      ['/runs/abc', { headers: { accept: 'text/html' } }],
      [`/assets/${script}`, {}],
      ['/api/runs', {}],
      ['/api/runs', { headers: { authorization: `Bearer ${h.tokens.viewer}` } }],
      ['/api/nothing-here', {}],
      [
        '/graphql',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${h.tokens.viewer}` },
          body: JSON.stringify({ query: '{ viewer { role } }' }),
        },
      ],
      ['/healthz', {}],
      ['/readyz', {}],
    ];
    for (const [path, init] of requests) {
      const response = await fetch(`${h.url}${path}`, init);
      const csp = response.headers.get('content-security-policy') ?? '';
      const what = `${init.method ?? 'GET'} ${path} (${response.status})`;
      expect(csp, what).toContain("default-src 'self'");
      expect(csp, what).toContain("script-src 'self'");
      expect(csp, what).not.toContain('unsafe-inline');
      expect(csp, what).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options'), what).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), what).toBe('no-referrer');
      expect(response.headers.get('x-powered-by'), what).toBeNull();
      await response.arrayBuffer();
    }
  });

  it('serves the console for GET / with Accept */* (curl and fetch send it), but not for a missing built file', async () => {
    const accepts: Array<Record<string, string>> = [
      { accept: '*/*' },
      { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
      {},
    ];
    for (const headers of accepts) {
      const response = await fetch(`${h.url}/`, { headers });
      expect(response.status, JSON.stringify(headers)).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('<div id="app"></div>');
    }
    const deepLink = await fetch(`${h.url}/assets/surface/one`, { headers: { accept: '*/*' } });
    expect(await deepLink.text()).toContain('<div id="app"></div>');
    const missing = await fetch(`${h.url}/assets/index-missing.js`, { headers: { accept: '*/*' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/);
    const api = await fetch(`${h.url}/api/runs`, { headers: { accept: '*/*' } });
    expect(api.status).toBe(401);
  });
});
