import { decodeOutput, encodeOutput, type EncodedOutput, type EncodeOutputOptions } from '../io/payload-codec.js';
import type { ObjectStore } from '../io/object-store.port.js';
import type { ColumnLineageSpec } from '../sdk/column-lineage.js';
import { NonRetryableError } from '../sdk/retry.js';
import { isTableHandle, isTableOutput, type TableHandle } from '../sdk/table.js';
import type { ColumnRef, TableColumn } from '../sdk/table-metadata.js';
import type { InputDescriptor, StoredValue } from '../execution/isolate/step-task.js';
import { deriveLineage } from './derived-lineage.js';
import { localPathsOf, openPartitionedTable, openTable } from './table-reader.js';
import type { TableScratch } from './table-scratch.js';
import { encodeTable } from './table-writer.js';

/** What the isolate knows when it stores a step's output. */
export interface StepOutputOptions extends EncodeOutputOptions {
  readonly assetKey: string;
  readonly scratch: TableScratch;
  readonly previousColumns: readonly TableColumn[] | undefined;
  readonly columnLineage: ColumnLineageSpec | undefined;
  /** The step's decoded inputs: the tables among them are checked against the declared lineage. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

/**
 * Stores a step's output: a table (`table.fromQuery` / `table.fromRows`) as Parquet with its
 * metadata and declared column lineage, anything else as {@link encodeOutput} does.
 * @throws NonRetryableError naming the asset and column when the declared lineage names a
 *   column that the output or an upstream table does not have.
 */
export async function encodeStepOutput(value: unknown, options: StepOutputOptions): Promise<EncodedOutput> {
  if (!isTableOutput(value)) {
    if (options.columnLineage) {
      throw new NonRetryableError(
        `asset '${options.assetKey}' declares columnLineage but returned no table: return table.fromQuery(...) or table.fromRows(...)`,
      );
    }
    return encodeOutput(value, options);
  }
  const encoded = await encodeTable(value, { ...options, previousColumns: options.previousColumns });
  const derived =
    value.source === 'query' ? await derivedLineage(value.sql, encoded.table.columns, options.inputs) : {};
  const declared = options.columnLineage
    ? await checkedLineage(options.assetKey, options.columnLineage, encoded.table.columns, options.inputs)
    : {};
  // What the asset declares wins over what the query's parse tree suggests, column by column.
  const lineage = { ...derived, ...declared };
  if (Object.keys(lineage).length === 0) return encoded;
  return { ...encoded, table: { ...encoded.table, columnLineage: lineage } };
}

/** Lineage derived from the query, kept to the table's own columns. */
async function derivedLineage(
  sql: string,
  columns: readonly TableColumn[],
  inputs: Readonly<Record<string, unknown>>,
): Promise<Record<string, readonly ColumnRef[]>> {
  const assetOfPath = new Map<string, string>();
  for (const input of Object.values(inputs)) {
    if (isTableHandle(input)) for (const path of localPathsOf(input)) assetOfPath.set(path, input.asset);
  }
  const derived = (await deriveLineage(sql, assetOfPath)) ?? {};
  const own = new Set(columns.map((c) => c.name));
  return Object.fromEntries(Object.entries(derived).filter(([name]) => own.has(name)));
}

async function checkedLineage(
  assetKey: string,
  lineage: ColumnLineageSpec,
  columns: readonly TableColumn[],
  inputs: Readonly<Record<string, unknown>>,
): Promise<Record<string, readonly ColumnRef[]>> {
  const own = new Set(columns.map((c) => c.name));
  const upstream = new Map<string, TableHandle>();
  for (const input of Object.values(inputs)) if (isTableHandle(input)) upstream.set(input.asset, input);
  const known = new Map<string, Set<string>>();
  const result: Record<string, readonly ColumnRef[]> = {};
  for (const [output, refs] of Object.entries(lineage)) {
    if (!own.has(output)) {
      throw new NonRetryableError(
        `asset '${assetKey}' declares columnLineage for column '${output}', which its table does not have (columns: ${[...own].join(', ')})`,
      );
    }
    for (const ref of refs) {
      const table = upstream.get(ref.asset);
      // An upstream that is not a table has no schema to check against.
      if (!table) continue;
      if (!known.has(ref.asset)) known.set(ref.asset, new Set((await table.columns()).map((c) => c.name)));
      if (!known.get(ref.asset)!.has(ref.column)) {
        throw new NonRetryableError(
          `asset '${assetKey}' declares that column '${output}' comes from column '${ref.column}' of '${ref.asset}', which has no such column`,
        );
      }
    }
    result[output] = refs.map((ref) => ({ asset: ref.asset, column: ref.column }));
  }
  return result;
}

/**
 * Decodes a step's inputs: tables become {@link TableHandle}s on their Parquet files (many
 * partitions of a table: one handle on their union), everything else what `decodeOutput` gives.
 */
export async function decodeStepInputs(
  descriptors: Readonly<Record<string, InputDescriptor>>,
  store: ObjectStore,
  scratch: TableScratch,
  assetKeys: Readonly<Record<string, string>>,
): Promise<Record<string, unknown>> {
  const inputs: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(descriptors)) {
    const asset = assetKeys[name] ?? name;
    if (input.kind === 'value') inputs[name] = input.value;
    else if (input.kind === 'stored') inputs[name] = await decodeStored(asset, input.stored, store, scratch);
    else if (input.partitions.length > 0 && input.partitions.every(([, stored]) => stored.valueType === 'table')) {
      const tables = input.partitions.map(
        ([key, stored]) => [key, { ref: stored.ref!, metadata: stored.table ?? undefined }] as const,
      );
      inputs[name] = await openPartitionedTable(asset, tables, store, scratch);
    } else {
      const record: Record<string, unknown> = {};
      for (const [partition, stored] of input.partitions) {
        record[partition] = await decodeStored(asset, stored, store, scratch);
      }
      inputs[name] = Object.freeze(record);
    }
  }
  return inputs;
}

/** One stored output as a step input or a check's value. */
export async function decodeStored(
  asset: string,
  stored: StoredValue,
  store: ObjectStore,
  scratch: TableScratch,
): Promise<unknown> {
  if (stored.valueType !== 'table') return decodeOutput(stored, store);
  if (!stored.ref) throw new Error(`the table output of '${asset}' has no payload reference`);
  return openTable(asset, { ref: stored.ref, metadata: stored.table ?? undefined }, store, scratch);
}
