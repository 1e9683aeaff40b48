import { Readable } from 'node:stream';
import type { ObjectStore } from '../io/object-store.port.js';
import { decodeOutput, type EncodedOutput } from '../io/payload-codec.js';
import type { TableOutput, TableRow } from '../sdk/table.js';
import { openTable } from '../tables/table-reader.js';
import { TableScratch } from '../tables/table-scratch.js';
import type { Asset, StoredOutput } from '../sdk/asset.js';
import type { CheckSeverity } from '../sdk/check.js';
import type { MetadataValue } from '../sdk/context.js';
import type { PayloadRef } from '../sdk/payload-ref.js';
import type { TestLogLine } from './test-context.js';

/** The outcome of one check on an asset's output in a test. */
export interface TestCheckResult {
  readonly name: string;
  readonly severity: CheckSeverity;
  readonly passed: boolean;
  readonly message: string | null;
  readonly metadata: Record<string, MetadataValue>;
}

/**
 * The value a test sees of an output of type `Out`: what a downstream asset receives, except that
 * a stream is read into a Buffer and a table into its rows (the test's store is gone once
 * {@link materializeForTest} returns).
 */
export type TestValue<Out> = Out extends TableOutput
  ? TableRow[]
  : Out extends Readable
    ? Buffer
    : Out extends AsyncIterable<Uint8Array>
      ? Buffer
      : StoredOutput<Out>;

/** One asset materialized by {@link materializeForTest}. */
export interface TestMaterialization<Value = unknown> {
  readonly assetKey: string;
  /** The partition it materialized, or `undefined` for an unpartitioned asset. */
  readonly partition: string | undefined;
  /** The output as a downstream asset receives it (streams as a Buffer). */
  readonly value: Value;
  /** The bytes behind a `PayloadRef` output (from `ctx.store.write`); `undefined` otherwise. */
  readonly bytes: Buffer | undefined;
  /** `ctx.metadata` and what its external processes (`ctx.exec`) reported. */
  readonly metadata: Readonly<Record<string, MetadataValue>>;
  /** Reported checks (`ctx.exec`) first, then the asset's declared checks, in order. */
  readonly checks: readonly TestCheckResult[];
  /** Every `ctx.log` line, in order. */
  readonly logs: readonly TestLogLine[];
  /** Every `ctx.checkpoint` state, as it would be read back. */
  readonly checkpoints: readonly unknown[];
}

/** What {@link materializeForTest} returns. */
export interface TestRun {
  /** Each asset's result, by key. */
  readonly assets: Readonly<Record<string, TestMaterialization>>;
  /** One asset's result, its value typed from the asset's output. */
  of<Out>(asset: Asset<Out>): TestMaterialization<TestValue<Out>>;
}

/** The output as a test keeps it, read while the test's store still exists. */
export async function resultValue(
  output: EncodedOutput,
  store: ObjectStore,
): Promise<{ value: unknown; bytes: Buffer | undefined }> {
  if (output.valueType === 'table' && output.ref) {
    // A table's value in a test is its rows: the test's store (and the file) goes away after.
    const scratch = new TableScratch();
    try {
      const handle = await openTable('', { ref: output.ref, metadata: output.table }, store, scratch);
      return { value: await handle.rows(), bytes: undefined };
    } finally {
      await scratch.dispose();
    }
  }
  const value = await decodeOutput(output, store);
  if (value instanceof Readable) return { value: await readAll(value), bytes: undefined };
  if (output.valueType === 'ref' && output.ref) {
    return { value, bytes: await readAll(await store.open(value as PayloadRef)) };
  }
  return { value, bytes: undefined };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
