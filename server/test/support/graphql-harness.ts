import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startHttpServer, type HttpServer } from '../../src/api/http-server.js';
import { AuthService } from '../../src/auth/auth-service.js';
import type { Role } from '../../src/auth/principal.js';
import { BackfillRunner } from '../../src/backfills/backfill-runner.js';
import type { AnyAssetDefinition } from '../../src/sdk/asset.js';
import type { StorageBackend } from './databases.js';
import { startEngine, type EngineHarness } from './engine-harness.js';

/** A GraphQL response as a client sees it. */
export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly data: T | null | undefined;
  readonly errors:
    ReadonlyArray<{ message: string; extensions?: { code?: string } & Record<string, unknown> }> | undefined;
}

export interface GraphQLHarness {
  readonly engine: EngineHarness;
  readonly server: HttpServer;
  readonly auth: AuthService;
  /** The server's backfill runner (to set up backfills without going through the API). */
  readonly backfills: BackfillRunner;
  readonly url: string;
  /** Tokens per role, plus one revoked operator token. */
  readonly tokens: Record<Role | 'revoked', string>;
  /** POSTs a GraphQL operation over HTTP, with a bearer token when given. */
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** A graphql-ws client over a real WebSocket, authenticated with the token. */
  ws(token: string): Client;
  close(): Promise<void>;
}

/** A real engine + the real HTTP/WS API on port 0, with a token of each role. */
export async function startGraphQL(
  backend: StorageBackend,
  assets: readonly AnyAssetDefinition[],
  options: Parameters<typeof startEngine>[2] & {
    failuresPerMinute?: number;
    requestsPerMinute?: number;
    allowedOrigins?: readonly string[];
  } = {},
): Promise<GraphQLHarness> {
  const engine = await startEngine(backend, assets, options);
  const auth = new AuthService(engine.database.dataSource, { failuresPerMinute: options.failuresPerMinute ?? 1000 });
  const backfills = new BackfillRunner({ engine: engine.engine, log: () => {} });
  await backfills.start();
  const server = await startHttpServer(
    engine.engine,
    { mode: 'embedded', role: 'embedded', project: 'test', database: backend === 'postgres' ? 'postgres' : 'pglite' },
    {
      port: 0,
      host: '127.0.0.1',
      auth,
      backfills,
      requestsPerMinute: options.requestsPerMinute,
      allowedOrigins: options.allowedOrigins,
    },
  );
  const tokens = {} as Record<Role | 'revoked', string>;
  for (const role of ['viewer', 'operator', 'admin'] as const)
    tokens[role] = (await auth.createToken({ name: `test ${role}`, role })).token;
  const revoked = await auth.createToken({ name: 'revoked operator', role: 'operator' });
  await auth.revokeToken(revoked.apiToken.id);
  tokens.revoked = revoked.token;
  const url = `http://127.0.0.1:${server.port}`;
  const clients: Client[] = [];
  return {
    backfills,
    engine,
    server,
    auth,
    url,
    tokens,
    async gql(query, variables, token, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: GraphQLResponse['errors'] };
      return { status: response.status, data: body.data as never, errors: body.errors };
    },
    ws(token) {
      const client = createClient({
        url: `${url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) await client.dispose();
      backfills.stop();
      await server.close();
      await engine.close();
    },
  };
}
