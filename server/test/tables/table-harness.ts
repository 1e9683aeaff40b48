import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createObjectStore as createS3ObjectStore } from '@weir/object-store-s3';
import { WeirEngine } from '../../src/engine/weir-engine.js';
import { InProcessExecutor } from '../../src/execution/in-process-executor.js';
import { AssetGraph } from '../../src/graph/asset-graph.js';
import { FilesystemObjectStore } from '../../src/io/filesystem-object-store.js';
import type { ObjectStore } from '../../src/io/object-store.port.js';
import type { AnyAssetDefinition } from '../../src/sdk/asset.js';
import type { TableMetadata } from '../../src/sdk/table-metadata.js';
import type { OpenedDatabase } from '../../src/storage/data-source.factory.js';
import { openTestDatabase, type StorageBackend } from '../support/databases.js';
import { startS3rver, type S3rverProcess } from '../object-store/s3rver-process.js';

/** Where a table test keeps its payloads: a filesystem store, or s3rver behind the S3 plugin. */
export type StoreKind = 'filesystem' | 's3';

/** A store of one kind, made once per test file (s3rver is a child process). */
export interface TestStore {
  readonly kind: StoreKind;
  readonly store: ObjectStore;
  close(): Promise<void>;
}

// s3rver listens in the port range this test suite owns on a shared machine.
const S3RVER_PORT = 47300 + (process.pid % 50);

export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  const dir = await mkdtemp(join(tmpdir(), 'weir-tables-store-'));
  if (kind === 'filesystem') {
    return {
      kind,
      store: new FilesystemObjectStore(join(dir, 'objects')),
      close: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const server: S3rverProcess = await startS3rver('weir-tables', { port: S3RVER_PORT });
  const store = await createS3ObjectStore('s3://weir-tables/t', { env: server.env });
  return {
    kind,
    store,
    async close() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface TableEngine {
  readonly engine: WeirEngine;
  readonly database: OpenedDatabase;
  /** The latest materialization's table metadata and output URI of `assetKey` (and partition). */
  latest(
    assetKey: string,
    partitionKey?: string,
  ): Promise<{ uri: string; table: TableMetadata | null; valueType: string }>;
  close(): Promise<void>;
}

/** A real engine (in-process executor) on a real database and the given store. */
export async function startTableEngine(
  backend: StorageBackend,
  assets: readonly AnyAssetDefinition[],
  store: ObjectStore,
  database?: OpenedDatabase,
): Promise<TableEngine> {
  const db = database ?? (await openTestDatabase(backend));
  const engine = new WeirEngine({
    dataSource: db.dataSource,
    objectStore: store,
    executor: new InProcessExecutor(2),
    graph: AssetGraph.build(assets),
    inlineLimit: 64 * 1024,
    retryDefaults: { maxAttempts: 1 },
    random: () => 0.5,
  });
  await engine.start();
  return {
    engine,
    database: db,
    async latest(assetKey, partitionKey = '') {
      const [row] = await db.dataSource.query(
        `SELECT output_ref, table_metadata, value_type FROM materializations
          WHERE asset_key = $1 AND partition_key = $2 ORDER BY created_at DESC LIMIT 1`,
        [assetKey, partitionKey],
      );
      if (!row) throw new Error(`no materialization of ${assetKey} ${partitionKey}`);
      return { uri: row.output_ref?.uri, table: row.table_metadata, valueType: row.value_type };
    },
    async close() {
      await engine.stop();
      if (!database) await db.close();
    },
  };
}
