import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import type { WeirEngine } from '../engine/weir-engine.js';
import { ApiModule, type ApiExtras } from './api.module.js';
import type { ProcessInfo } from './api-tokens.js';
import { WeirErrorFilter } from './weir-error.filter.js';

/** A listening API server. */
export interface HttpServer {
  readonly port: number;
  readonly app: INestApplication;
  close(): Promise<void>;
}

/** Starts the Nest HTTP API for an engine on `host:port` (port 0 picks a free one). */
export async function startHttpServer(
  engine: WeirEngine,
  info: ProcessInfo,
  options: { port: number; host: string } & ApiExtras,
): Promise<HttpServer> {
  const app = await NestFactory.create(ApiModule.forEngine(engine, info, options), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  app.useGlobalFilters(new WeirErrorFilter());
  await app.listen(options.port, options.host);
  const address = app.getHttpServer().address() as AddressInfo;
  return { port: address.port, app, close: () => app.close() };
}
