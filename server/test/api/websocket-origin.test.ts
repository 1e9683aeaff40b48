import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { signInCookie } from '../support/console-session.js';
import { STORAGE_BACKENDS, type StorageBackend } from '../support/databases.js';
import { startGraphQL, type GraphQLHarness } from '../support/graphql-harness.js';

const ALLOWED = 'https://console.example.com';
const CREATE_TOKEN = `mutation { createApiToken(name: "via websocket", role: ADMIN) { token } }`;

/** How the server answered a WebSocket upgrade: 101 (opened) or the refusal's status and body. */
function upgrade(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    socket.on('open', () => {
      socket.close();
      resolve({ status: 101, body: '' });
    });
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    socket.on('error', reject);
  });
}

// Cross-site WebSocket hijacking: a page of another origin on the same site opening the
// subscription endpoint with the visitor's session cookie and sending operations on it.
describe.each(STORAGE_BACKENDS)('the GraphQL WebSocket checks Origin on %s', (backend: StorageBackend) => {
  let h: GraphQLHarness;
  let cookie: string;
  let wsUrl: string;
  let foreign: string;
  const tokenCount = async () =>
    Number(
      ((await h.engine.database.dataSource.query('SELECT count(*) AS n FROM api_tokens')) as Array<{ n: string }>)[0]!
        .n,
    );

  /** Runs one operation over graphql-ws, sending these upgrade headers and connection params. */
  const operate = (
    query: string,
    headers: Record<string, string>,
    connectionParams?: Record<string, unknown>,
  ): Promise<{ data?: Record<string, unknown>; error?: string }> => {
    class WithHeaders extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { headers });
      }
    }
    const client = createClient({ url: wsUrl, webSocketImpl: WithHeaders, connectionParams, retryAttempts: 0 });
    return new Promise((resolve) => {
      let data: Record<string, unknown> | undefined;
      client.subscribe(
        { query },
        {
          next: (message) => (data = message.data as Record<string, unknown>),
          error: (error) => {
            const reason =
              error instanceof Error ? error.message : String((error as { reason?: string }).reason ?? error);
            resolve({ error: reason || 'closed' });
          },
          complete: () => resolve({ data }),
        },
      );
    }).finally(() => client.dispose()) as Promise<{ data?: Record<string, unknown>; error?: string }>;
  };

  beforeAll(async () => {
    h = await startGraphQL(backend, [], { allowedOrigins: [ALLOWED] });
    cookie = await signInCookie(h.url, h.tokens.admin);
    wsUrl = `${h.url.replace('http', 'ws')}/graphql`;
    foreign = `http://127.0.0.1:${h.server.port + 1}`;
  }, 60_000);
  afterAll(() => h?.close());

  it('refuses the upgrade with the session cookie and a foreign, opaque or missing Origin, so no operation runs', async () => {
    const before = await tokenCount();
    for (const origin of [foreign, 'null', 'https://console.example.com.evil.test']) {
      const refused = await upgrade(wsUrl, { cookie, origin });
      expect(refused.status, origin).toBe(403);
      expect(refused.body).toContain(`cross-origin WebSocket upgrade refused: Origin ${origin}`);
    }
    const anonymous = await upgrade(wsUrl, { cookie });
    expect(anonymous.status).toBe(403);
    expect(anonymous.body).toContain('names no Origin');

    const hijack = await operate(CREATE_TOKEN, { cookie, origin: foreign });
    expect(hijack.data).toBeUndefined();
    expect(hijack.error).toBeDefined();
    expect(await tokenCount()).toBe(before);
  });

  it('serves the session cookie from its own origin and from WEIR_ALLOWED_ORIGINS', async () => {
    const before = await tokenCount();
    for (const origin of [h.url, ALLOWED]) {
      expect((await upgrade(wsUrl, { cookie, origin })).status).toBe(101);
      const viewer = await operate('{ viewer { name role } }', { cookie, origin });
      expect(viewer).toEqual({ data: { viewer: { name: 'test admin', role: 'ADMIN' } } });
    }
    const created = await operate(CREATE_TOKEN, { cookie, origin: h.url });
    expect(created.data?.createApiToken).toMatchObject({ token: expect.stringMatching(/^weir_/) });
    expect(await tokenCount()).toBe(before + 1);
  });

  it('serves a bearer-token client that sends no Origin (and one elsewhere that has a token but no cookie)', async () => {
    const bearer = { authorization: `Bearer ${h.tokens.viewer}` };
    expect(await operate('{ viewer { role } }', {}, bearer)).toEqual({ data: { viewer: { role: 'VIEWER' } } });
    expect(await operate('{ viewer { role } }', { origin: foreign }, bearer)).toEqual({
      data: { viewer: { role: 'VIEWER' } },
    });
    // Without a cookie or a token the connection opens but is refused at connection_init.
    expect((await operate('{ viewer { role } }', { origin: foreign })).data).toBeUndefined();
  });
});
