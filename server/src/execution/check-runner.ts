import { Readable } from 'node:stream';
import type { EncodedOutput } from '../io/payload-codec.js';
import type { ObjectStore } from '../io/object-store.port.js';
import type { AssetCheck, CheckContext } from '../sdk/check.js';
import type { ResourceMap } from '../sdk/resource.js';
import type { MetadataValue } from '../sdk/context.js';
import type { CheckRecord } from '../runs/check-results.js';
import { decodeStored } from '../tables/step-tables.js';
import { TableScratch } from '../tables/table-scratch.js';

/**
 * Runs an asset's checks in order on its stored output. Each check gets its own copy of the
 * value as a downstream asset would receive it, so a check that mutates the value or reads a
 * stream leaves nothing behind for the next one (nor for the materialization, still to commit).
 * A check that throws, or returns something other than a boolean or `{ passed }`, has failed.
 * Failing to read the output back is not a check's failure: it propagates and fails the attempt.
 * Each check's `ctx.resources` are its own (`resourcesFor` its map), not the asset's.
 * A table output is checked through a handle DuckDB queries in place (files staged in `scratch`).
 */
export async function runChecks(
  checks: readonly AssetCheck<never>[],
  ctx: Omit<CheckContext, 'resources'>,
  output: EncodedOutput,
  store: ObjectStore,
  resourcesFor: (map: ResourceMap) => Promise<Readonly<Record<string, unknown>>> = async () => ({}),
  scratch: TableScratch = new TableScratch(),
): Promise<CheckRecord[]> {
  const records: CheckRecord[] = [];
  for (const check of checks) {
    const value = await valueForCheck(output, store, ctx.assetKey, scratch);
    let record: CheckRecord;
    try {
      const resources = await resourcesFor(check.resources ?? {});
      record = verdictOf(check, await check.fn({ ...ctx, resources }, value as never));
    } catch (error) {
      const message = error instanceof Error ? error.message || error.name : `non-Error value thrown: ${String(error)}`;
      record = { name: check.name, severity: check.severity, passed: false, message, metadata: {} };
    } finally {
      // A check may read only part of a stream output, or none of it: close the file handle.
      if (value instanceof Readable && !value.destroyed) value.destroy();
    }
    records.push(record);
  }
  return records;
}

async function valueForCheck(
  output: EncodedOutput,
  store: ObjectStore,
  assetKey: string,
  scratch: TableScratch,
): Promise<unknown> {
  // Inline JSON and references are the very objects about to be written to the database: copy.
  if (output.valueType === 'json' && output.ref === null) return structuredClone(output.inline);
  if (output.valueType === 'ref' && output.ref) return { ...output.ref };
  return decodeStored(assetKey, { ...output, table: output.table ?? null }, store, scratch);
}

function verdictOf(check: AssetCheck<never>, result: unknown): CheckRecord {
  const base = { name: check.name, severity: check.severity };
  if (typeof result === 'boolean') return { ...base, passed: result, message: null, metadata: {} };
  const verdict = result as { passed?: unknown; message?: unknown; metadata?: unknown } | null;
  if (typeof verdict !== 'object' || verdict === null || typeof verdict.passed !== 'boolean') {
    const got = describe(result) === 'an object' ? "an object without a boolean 'passed'" : describe(result);
    return {
      ...base,
      passed: false,
      message: `the check returned ${got}: return true/false or { passed: boolean, message?, metadata? }`,
      metadata: {},
    };
  }
  const metadata: Record<string, MetadataValue> = {};
  for (const [key, value] of Object.entries((verdict.metadata ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') {
      return {
        ...base,
        passed: false,
        message: `the check's metadata '${key}' must be a number, string or boolean (got ${describe(value)})`,
        metadata: {},
      };
    }
    metadata[key] = value;
  }
  const message = verdict.message === undefined || verdict.message === null ? null : String(verdict.message);
  return { ...base, passed: verdict.passed, message, metadata };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
