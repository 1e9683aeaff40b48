import { join } from 'node:path';
import type { WeirConfig } from '../config/weir-config.js';
import type { AssetGraph } from '../graph/asset-graph.js';
import { InProcessExecutor } from '../execution/in-process-executor.js';
import { createObjectStore } from '../io/object-store.factory.js';
import type { ObjectStore } from '../io/object-store.port.js';
import { openDatabase, type OpenedDatabase } from '../storage/data-source.factory.js';
import type { Clock } from '../runs/clock.js';
import { WeirEngine } from './weir-engine.js';

/** A running engine with the resources it owns. */
export interface OpenedWeir {
  readonly engine: WeirEngine;
  readonly database: OpenedDatabase;
  readonly objectStore: ObjectStore;
  close(): Promise<void>;
}

/**
 * Wires the embedded defaults (or their configured replacements): metadata in PGlite under
 * the data dir unless WEIR_DATABASE_URL is set, the filesystem object store unless
 * WEIR_OBJECT_STORE says otherwise, and the in-process executor.
 */
export async function openWeir(
  config: WeirConfig,
  graph: AssetGraph,
  options: { clock?: Clock; random?: () => number } = {},
): Promise<OpenedWeir> {
  const database = await openDatabase(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl }
      : { kind: 'pglite', dataDir: join(config.dataDir, 'pglite') },
  );
  try {
    const objectStore = await createObjectStore(config.objectStoreUrl, join(config.dataDir, 'objects'));
    const engine = new WeirEngine({
      dataSource: database.dataSource,
      objectStore,
      executor: new InProcessExecutor(config.concurrency),
      graph,
      inlineLimit: config.inlineLimit,
      retryDefaults: config.retryDefaults,
      clock: options.clock,
      random: options.random,
    });
    await engine.start();
    return {
      engine,
      database,
      objectStore,
      async close() {
        await engine.stop();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
