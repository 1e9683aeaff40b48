import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import type { AuthService } from '../auth/auth-service.js';
import type { WeirEngine } from '../engine/weir-engine.js';
import { ApiModule, type ApiExtras } from './api.module.js';
import type { ProcessInfo } from './api-tokens.js';
import { WeirErrorFilter } from './weir-error.filter.js';
import { createGraphQLApi } from './graphql/graphql-api.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { serveConsole } from './console-assets.js';
import { OriginPolicy } from '../auth/origin-policy.js';
import { securityHeaders } from './security-headers.js';
import { crossOriginMiddleware } from './cross-origin.middleware.js';
import { jsonOnlyMiddleware } from './json-only.middleware.js';
import { gateWebSocketUpgrades } from './websocket-origin-gate.js';

/** A listening API server. */
export interface HttpServer {
  readonly port: number;
  readonly app: INestApplication;
  /** The web console is served at `/` (false when console/dist was not built). */
  readonly consoleServed: boolean;
  close(): Promise<void>;
}

/**
 * Starts the Nest HTTP API for an engine on `host:port` (port 0 picks a free one). Every
 * request but `/healthz`, `/readyz` and sign-in is authenticated with `options.auth`: there is
 * no way to start it open. Every response carries the security headers; state-changing requests
 * and WebSocket upgrades that use the session cookie must come from this server's origin or one
 * of `options.allowedOrigins`.
 */
export async function startHttpServer(
  engine: WeirEngine,
  info: ProcessInfo,
  options: {
    port: number;
    host: string;
    auth: AuthService;
    console?: boolean;
    /** GraphQL operations per token per minute (default 1,200). */
    requestsPerMinute?: number;
    /** Origins besides the server's own whose pages may use a session cookie (WEIR_ALLOWED_ORIGINS). */
    allowedOrigins?: readonly string[];
  } & ApiExtras,
): Promise<HttpServer> {
  const graphql = createGraphQLApi(
    { engine, auth: options.auth, automation: options.automation, backfills: options.backfills },
    { requestsPerMinute: options.requestsPerMinute },
  );
  const app = await NestFactory.create<NestExpressApplication>(
    ApiModule.forEngine(engine, info, { ...options, graphql: graphql.module }),
    { logger: ['error', 'warn'], abortOnError: false },
  );
  app.useGlobalFilters(new WeirErrorFilter());
  const origins = new OriginPolicy(options.allowedOrigins);
  // Registered before init, so they run before Nest's body parsers and routes: a refused request
  // is never parsed, authenticated or handled.
  app.disable('x-powered-by');
  app.use(securityHeaders());
  app.use(crossOriginMiddleware(origins));
  app.use(jsonOnlyMiddleware());
  const consoleServed = options.console === false ? false : serveConsole(app);
  await app.init();
  const assertGated = gateWebSocketUpgrades(app.getHttpServer(), origins);
  await app.listen(options.port, options.host);
  assertGated();
  const address = app.getHttpServer().address() as AddressInfo;
  return {
    port: address.port,
    app,
    consoleServed,
    close: async () => {
      graphql.close();
      await app.close();
    },
  };
}
