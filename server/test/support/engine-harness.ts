import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WeirEngine } from '../../src/engine/weir-engine.js';
import type { Executor } from '../../src/execution/executor.port.js';
import { InProcessExecutor } from '../../src/execution/in-process-executor.js';
import { AssetGraph } from '../../src/graph/asset-graph.js';
import { FilesystemObjectStore } from '../../src/io/filesystem-object-store.js';
import { ManualClock, type Clock } from '../../src/runs/clock.js';
import type { AnyAssetDefinition } from '../../src/sdk/asset.js';
import type { RetryPolicySpec } from '../../src/sdk/retry.js';
import type { OpenedDatabase } from '../../src/storage/data-source.factory.js';
import { openTestDatabase, type StorageBackend } from './databases.js';

export interface EngineHarness {
  readonly engine: WeirEngine;
  readonly database: OpenedDatabase;
  readonly store: FilesystemObjectStore;
  readonly clock: ManualClock | undefined;
  /** Count of rows in a table. */
  count(table: string, where?: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * A real engine on a real database (PGlite or PostgreSQL) and a filesystem object store in a
 * temp dir. `manualClock: true` makes time move only when a test calls `clock.advance`.
 */
export async function startEngine(
  backend: StorageBackend,
  assets: readonly AnyAssetDefinition[],
  options: {
    manualClock?: boolean;
    /** An executor of the test's own (default: in-process, `concurrency` at a time). */
    executor?: Executor;
    /** A clock of the test's own (instead of the system clock or `manualClock`). */
    clock?: Clock;
    retryDefaults?: RetryPolicySpec;
    inlineLimit?: number;
    concurrency?: number;
    random?: () => number;
  } = {},
): Promise<EngineHarness> {
  const database = await openTestDatabase(backend);
  const dir = await mkdtemp(join(tmpdir(), 'weir-engine-'));
  const store = new FilesystemObjectStore(join(dir, 'objects'));
  const clock = options.manualClock ? new ManualClock() : undefined;
  const engine = new WeirEngine({
    dataSource: database.dataSource,
    objectStore: store,
    executor: options.executor ?? new InProcessExecutor(options.concurrency ?? 4),
    graph: AssetGraph.build(assets),
    inlineLimit: options.inlineLimit ?? 64 * 1024,
    retryDefaults: options.retryDefaults ?? { maxAttempts: 1 },
    clock: options.clock ?? (clock as Clock | undefined),
    random: options.random ?? (() => 0.5),
  });
  await engine.start();
  return {
    engine,
    database,
    store,
    clock,
    async count(table, where) {
      const rows: Array<{ n: number | string }> = await database.dataSource.query(
        `SELECT count(*) AS n FROM ${table}${where ? ` WHERE ${where}` : ''}`,
      );
      return Number(rows[0]!.n);
    },
    async close() {
      await engine.stop();
      await database.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value other than undefined/false (no timing is asserted). */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
