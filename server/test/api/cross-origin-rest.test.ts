import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInCookie } from '../support/console-session.js';
import { STORAGE_BACKENDS, type StorageBackend } from '../support/databases.js';
import { waitFor } from '../support/engine-harness.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';
import { FIXTURE_ASSETS } from '../graphql/graphql-fixtures.js';

const ALLOWED = 'https://console.example.com';
// Rows that any REST mutation would add or change.
const COUNTED = {
  runs: 'SELECT count(*) AS n FROM runs',
  steps: 'SELECT count(*) AS n FROM steps',
  backfills: 'SELECT count(*) AS n FROM backfills',
  observations: 'SELECT count(*) AS n FROM observations',
  dynamicPartitions: 'SELECT count(*) AS n FROM dynamic_partitions',
  tokens: 'SELECT count(*) AS n FROM api_tokens',
  revokedTokens: 'SELECT count(*) AS n FROM api_tokens WHERE revoked_at IS NOT NULL',
  sessions: 'SELECT count(*) AS n FROM api_sessions',
  events: 'SELECT count(*) AS n FROM event_log',
};

// CSRF: a page of another origin on the same site (here: another port of 127.0.0.1, which the
// SameSite=Strict cookie does not keep apart) posting a form with the visitor's admin session.
describe.each(STORAGE_BACKENDS)('cross-origin REST requests on %s', (backend: StorageBackend) => {
  let h: GraphQLHarness;
  let cookie: string;
  let foreign: string;
  let ids: { failedRun: string; slowRun: string; failedBackfill: string; token: string };

  const counts = async () => {
    const entries = await Promise.all(
      Object.entries(COUNTED).map(async ([name, sql]) => {
        const rows: Array<{ n: string | number }> = await h.engine.database.dataSource.query(sql);
        return [name, Number(rows[0]!.n)] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<keyof typeof COUNTED, number>;
  };
  const bearer = (path: string, body?: unknown, method = 'POST') =>
    fetch(`${h.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${h.tokens.admin}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const get = async <T>(path: string) =>
    (await (await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${h.tokens.admin}` } })).json()) as T;

  beforeAll(async () => {
    h = await startGraphQL(backend, FIXTURE_ASSETS, { allowedOrigins: [ALLOWED] });
    foreign = `http://127.0.0.1:${h.server.port + 1}`;
    cookie = await signInCookie(h.url, h.tokens.admin);
    const failedRun = ((await (await bearer('/api/runs', { selection: 'core/broken' })).json()) as { id: string }).id;
    const slowRun = ((await (await bearer('/api/runs', { selection: 'core/slow' })).json()) as { id: string }).id;
    const backfill = (await (
      await bearer('/api/backfills', { selection: 'core/broken_days', partitions: ['2025-01-01'] })
    ).json()) as { id: string };
    const token = (
      (await (await bearer('/api/tokens', { name: 'victim', role: 'viewer' })).json()) as {
        apiToken: { id: string };
      }
    ).apiToken.id;
    await waitFor(
      async () => (await get<{ status: string }>(`/api/runs/${failedRun}`)).status === 'failed',
      'the broken run to fail',
    );
    await waitFor(
      async () => (await get<{ status: string }>(`/api/backfills/${backfill.id}`)).status === 'failed',
      'the broken backfill to fail',
    );
    ids = { failedRun, slowRun, failedBackfill: backfill.id, token };
  }, 120_000);
  afterAll(() => h?.close());

  /** Every state-changing REST route, with the form a page elsewhere would post to it. */
  const routes = () => [
    { method: 'POST', path: '/api/runs', form: 'selection=core/quick' },
    { method: 'POST', path: `/api/runs/${ids.failedRun}/reexecute`, form: 'mode=all' },
    { method: 'POST', path: `/api/runs/${ids.slowRun}/cancel`, form: '' },
    { method: 'POST', path: '/api/backfills', form: 'selection=core/days&partitions=2025-01-02' },
    { method: 'POST', path: `/api/backfills/${ids.failedBackfill}/retry`, form: '' },
    { method: 'POST', path: '/api/partitions/regions/eu', form: '' },
    { method: 'POST', path: '/api/assets/vendor/feed/events', form: 'dataVersion=v2' },
    { method: 'POST', path: '/api/tokens', form: 'name=attacker&role=admin' },
    { method: 'DELETE', path: `/api/tokens/${ids.token}`, form: '' },
    { method: 'POST', path: '/api/session', form: `token=${h.tokens.viewer}` },
    { method: 'DELETE', path: '/api/session', form: '' },
  ];

  it('refuses a cross-origin form post with the session cookie on every state-changing route, writing nothing', async () => {
    const before = await counts();
    for (const route of routes()) {
      const response = await fetch(`${h.url}${route.path}`, {
        method: route.method,
        headers: { cookie, origin: foreign, 'content-type': 'application/x-www-form-urlencoded' },
        body: route.form,
      });
      const body = (await response.json()) as { error: string; message: string };
      expect(response.status, `${route.method} ${route.path}`).toBe(403);
      expect(body.error).toBe('CrossOriginRequestError');
      expect(body.message).toContain(`Origin ${foreign}`);
      expect(body.message).toContain('WEIR_ALLOWED_ORIGINS');
      expect(response.headers.get('set-cookie'), `${route.method} ${route.path}`).toBeNull();
    }
    expect(await counts()).toEqual(before);
    // Still signed in (sign-out was refused), the slow run still going, the token not revoked.
    const me = await (await fetch(`${h.url}/api/session`, { headers: { cookie } })).json();
    expect(me).toMatchObject({ signedIn: true, role: 'admin' });
    expect((await get<{ status: string }>(`/api/runs/${ids.slowRun}`)).status).not.toBe('canceled');
  });

  it('refuses JSON with a foreign Origin, an opaque Origin, a foreign Referer, or no origin at all with the cookie', async () => {
    const before = await counts();
    const attempts: Array<Record<string, string>> = [
      { origin: foreign },
      { origin: 'null' },
      { referer: `${foreign}/attack.html` },
      {},
    ];
    for (const headers of attempts) {
      for (const [path, body] of [
        ['/api/runs', { selection: 'core/quick' }],
        ['/api/tokens', { name: 'attacker', role: 'admin' }],
      ] as const) {
        const response = await fetch(`${h.url}${path}`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });
        expect(response.status, `${path} with ${JSON.stringify(headers)}`).toBe(403);
      }
    }
    // GraphQL over HTTP is checked the same way (a subscription-less page could post there too).
    const graphql = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { cookie, origin: foreign, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { createApiToken(name: "attacker", role: ADMIN) { token } }' }),
    });
    expect(graphql.status).toBe(403);
    expect(((await graphql.json()) as { message: string }).message).toContain(
      `POST /graphql: cross-origin request refused`,
    );
    const missing = await fetch(`${h.url}/api/runs`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ selection: 'core/quick' }),
    });
    expect(((await missing.json()) as { message: string }).message).toContain("'Authorization: Bearer <token>'");
    expect(await counts()).toEqual(before);
  });

  it('accepts the cookie from its own origin (Origin or Referer) and from WEIR_ALLOWED_ORIGINS', async () => {
    const before = await counts();
    const sources: Array<Record<string, string>> = [
      { origin: h.url },
      { referer: `${h.url}/runs` },
      { origin: ALLOWED },
    ];
    for (const headers of sources) {
      const response = await fetch(`${h.url}/api/tokens`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ name: `console ${JSON.stringify(headers)}`, role: 'viewer' }),
      });
      expect(response.status, JSON.stringify(headers)).toBe(201);
    }
    expect((await counts()).tokens).toBe(before.tokens + 3);
  });

  it('lets a bearer token post JSON from anywhere, but only JSON (415 naming the content type)', async () => {
    const before = await counts();
    const fromElsewhere = await fetch(`${h.url}/api/partitions/regions/us`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.tokens.operator}`, origin: foreign },
    });
    expect(fromElsewhere.status).toBe(201);
    const run = await fetch(`${h.url}/api/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.tokens.operator}`, origin: foreign, 'content-type': 'application/json' },
      body: JSON.stringify({ selection: 'core/quick' }),
    });
    expect(run.status).toBe(201);
    expect((await counts()).runs).toBe(before.runs + 1);

    const form = await fetch(`${h.url}/api/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.tokens.operator}`, 'content-type': 'text/plain' },
      body: '{"selection": "core/quick"}',
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({
      error: 'UnsupportedMediaTypeError',
      message: expect.stringMatching(/POST \/api\/runs accepts only application\/json bodies \(got text\/plain\)/),
    });
    expect((await counts()).runs).toBe(before.runs + 1);
  });

  it('keeps sign-in working for the console and the CLI, and refuses login CSRF', async () => {
    const before = await counts();
    const signIn = (headers: Record<string, string>, body: string) =>
      fetch(`${h.url}/api/session`, { method: 'POST', headers, body });
    const json = JSON.stringify({ token: h.tokens.viewer });
    // A page elsewhere signing the visitor in as its own token: refused, no cookie set.
    const forged = await signIn({ origin: foreign, 'content-type': 'application/json' }, json);
    expect(forged.status).toBe(403);
    expect(forged.headers.get('set-cookie')).toBeNull();
    // A form without Origin (what an old browser might send) cannot carry JSON.
    const form = await signIn({ 'content-type': 'application/x-www-form-urlencoded' }, `token=${h.tokens.viewer}`);
    expect(form.status).toBe(415);
    expect((await counts()).sessions).toBe(before.sessions);

    const console = await signIn({ origin: h.url, 'content-type': 'application/json' }, json);
    expect(console.status).toBe(200);
    expect(console.headers.get('set-cookie')).toMatch(/^weir_session=/);
    const cli = await signIn({ 'content-type': 'application/json' }, json);
    expect(cli.status).toBe(200);
    expect((await counts()).sessions).toBe(before.sessions + 2);
  });
});
