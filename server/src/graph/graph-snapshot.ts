import { createHash } from 'node:crypto';
import type { AnyAssetDefinition } from '../sdk/asset.js';
import type { RetryPolicySpec } from '../sdk/retry.js';
// Type-only: erased at run time, so this pure layer still loads no TypeORM code.
import type { AssetSnapshot } from '../storage/entities/definition-snapshot.entity.js';
import { inputsOf } from './graph-validation.js';

/** Everything about an asset but its code, as stored with each deploy. */
export function snapshotOf(definition: AnyAssetDefinition): AssetSnapshot {
  const isAsset = definition.kind === 'asset';
  return {
    key: definition.key,
    kind: definition.kind,
    deps: Object.fromEntries(inputsOf(definition).map((input) => [input.name, input.key])),
    group: definition.group,
    owners: [...definition.owners],
    tags: { ...definition.tags },
    description: definition.description ?? null,
    codeVersion: isAsset ? (definition.codeVersion ?? null) : null,
    retry: isAsset && definition.retry ? serializeRetry(definition.retry) : null,
    definedAt: definition.definedAt,
  };
}

/** The retry policy as JSON: error classes become their names, unset fields are left out. */
export function serializeRetry(retry: RetryPolicySpec): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(retry)) {
    if (value === undefined) continue;
    result[field] = field === 'nonRetryable' ? (value as RetryPolicySpec['nonRetryable'])!.map((errorClass) => errorClass.name) : value;
  }
  return result;
}

/**
 * SHA-256 (hex) of the canonical JSON of `snapshots`: assets sorted by key, object fields
 * sorted by name. Equal definitions give equal hashes whatever order they were listed in,
 * so a deploy that changes nothing reuses the stored snapshot.
 */
export function snapshotHash(snapshots: readonly AssetSnapshot[]): string {
  const sorted = [...snapshots].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const hash = createHash('sha256');
  // Hashed piece by piece: the whole JSON of 100k assets would be a needless 30 MB string.
  hash.update('[');
  sorted.forEach((snapshot, i) => hash.update((i === 0 ? '' : ',') + canonicalJson(snapshot)));
  hash.update(']');
  return hash.digest('hex');
}

/**
 * JSON with object fields sorted by name and `undefined` fields dropped, so that equal values
 * always serialize to the same text.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item: unknown) => canonicalJson(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .filter((field) => record[field] !== undefined)
    .sort()
    .map((field) => `${JSON.stringify(field)}:${canonicalJson(record[field])}`);
  return `{${fields.join(',')}}`;
}
