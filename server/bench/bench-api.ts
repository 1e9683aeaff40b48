import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHttpServer, type HttpServer } from '../src/api/http-server.js';
import { AuthService } from '../src/auth/auth-service.js';
import { WeirEngine } from '../src/engine/weir-engine.js';
import { InProcessExecutor } from '../src/execution/in-process-executor.js';
import type { AssetGraph } from '../src/graph/asset-graph.js';
import { FilesystemObjectStore } from '../src/io/filesystem-object-store.js';
import { openDatabase, type DatabaseTarget, type OpenedDatabase } from '../src/storage/data-source.factory.js';

/** A real engine and HTTP API for a benchmark, with a viewer token. */
export interface BenchApi {
  readonly engine: WeirEngine;
  readonly database: OpenedDatabase;
  readonly auth: AuthService;
  readonly server: HttpServer;
  readonly base: string;
  readonly token: string;
  close(): Promise<void>;
}

/**
 * Starts the API on port 0 over `graph`: PostgreSQL when given a URL, else PGlite in a temp
 * dir; objects in a temp dir either way.
 */
export async function startBenchApi(graph: AssetGraph, postgresUrl?: string): Promise<BenchApi> {
  const dir = await mkdtemp(join(tmpdir(), 'weir-bench-api-'));
  const target: DatabaseTarget = postgresUrl
    ? { kind: 'postgres', url: postgresUrl }
    : { kind: 'pglite', dataDir: join(dir, 'pglite') };
  const database = await openDatabase(target);
  const engine = new WeirEngine({
    dataSource: database.dataSource,
    objectStore: new FilesystemObjectStore(join(dir, 'objects')),
    executor: new InProcessExecutor(2),
    graph,
    inlineLimit: 64 * 1024,
    retryDefaults: { maxAttempts: 1 },
  });
  await engine.start();
  const auth = new AuthService(database.dataSource);
  const { token } = await auth.createToken({ name: 'bench', role: 'viewer' });
  const server = await startHttpServer(
    engine,
    { mode: 'embedded', role: 'embedded', project: 'bench', database: target.kind },
    { port: 0, host: '127.0.0.1', auth },
  );
  return {
    engine,
    database,
    auth,
    server,
    base: `http://127.0.0.1:${server.port}`,
    token,
    async close() {
      await server.close();
      await engine.stop();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
