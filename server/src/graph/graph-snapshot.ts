import { createHash } from 'node:crypto';
import type { AnyAssetDefinition } from '../sdk/asset.js';
import type { RetryPolicySpec } from '../sdk/retry.js';
import type { FreshnessPolicy } from '../sdk/freshness.js';
// Type-only: erased at run time, so this pure layer still loads no TypeORM code.
import type { AssetSnapshot } from '../storage/entities/definition-snapshot.entity.js';
import type { JsonObject } from '../storage/json-value.js';
import { isMappedDependency } from '../sdk/partition-mapping.js';
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
    pool: isAsset ? (definition.pool ?? null) : null,
    automation: isAsset && definition.automation ? { ...definition.automation } : null,
    retry: isAsset && definition.retry ? serializeRetry(definition.retry) : null,
    freshness: isAsset && definition.freshness ? serializeFreshness(definition.freshness) : null,
    checks: isAsset
      ? definition.checks.map((c) => ({ name: c.name, severity: c.severity, description: c.description ?? null }))
      : [],
    partitions: isAssetDef(definition) && definition.partitions ? withoutUndefined(definition.partitions) : null,
    partitionMappings: isAssetDef(definition) ? declaredMappings(definition.deps) : {},
    definedAt: definition.definedAt,
  };
}

function isAssetDef(definition: AnyAssetDefinition): definition is Extract<AnyAssetDefinition, { kind: 'asset' }> {
  return definition.kind === 'asset';
}

function declaredMappings(deps: Readonly<Record<string, unknown>>): Record<string, JsonObject> {
  const mappings: Record<string, JsonObject> = {};
  for (const [name, dep] of Object.entries(deps)) {
    if (isMappedDependency(dep)) mappings[name] = withoutUndefined(dep.mapping);
  }
  return mappings;
}

function withoutUndefined(value: object): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as JsonObject;
}

/** The retry policy as JSON: error classes become their names, unset fields are left out. */
export function serializeRetry(retry: RetryPolicySpec): JsonObject {
  const result: JsonObject = {};
  for (const [field, value] of Object.entries(retry)) {
    if (value === undefined) continue;
    result[field] =
      field === 'nonRetryable'
        ? (value as RetryPolicySpec['nonRetryable'])!.map((errorClass) => errorClass.name)
        : value;
  }
  return result;
}

/** The freshness policy as JSON, unset fields left out. */
export function serializeFreshness(policy: FreshnessPolicy): JsonObject {
  return withoutUndefined(policy);
}

/**
 * SHA-256 (hex) of the canonical JSON of `snapshots`: assets sorted by key, object fields
 * sorted by name. Equal definitions give equal hashes whatever order they were listed in,
 * so a deploy that changes nothing reuses the stored snapshot.
 */
export function snapshotHash(snapshots: readonly AssetSnapshot[]): string {
  // Already sorted when it comes from the graph's key order; TimSort checks that in O(n).
  const sorted = [...snapshots].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const hash = createHash('sha256');
  // Fed in chunks: one string for 100k assets would be tens of MB, one update per asset slow.
  let chunk = '[';
  for (let i = 0; i < sorted.length; i++) {
    chunk += (i === 0 ? '' : ',') + snapshotJson(sorted[i]!);
    if (chunk.length > 65_536) {
      hash.update(chunk);
      chunk = '';
    }
  }
  hash.update(chunk + ']');
  return hash.digest('hex');
}

/**
 * `canonicalJson(snapshot)`, twice as fast: the snapshot's fields are known, so only `deps`,
 * `tags`, `retry`, `automation`, `checks`, `freshness`, `partitions` and `partitionMappings`
 * need sorting. A test checks that both agree on every field.
 */
export function snapshotJson(snapshot: AssetSnapshot): string {
  const json = canonicalJson;
  return (
    `{"automation":${json(snapshot.automation)},"checks":${json(snapshot.checks)}` +
    `,"codeVersion":${json(snapshot.codeVersion)}` +
    `,"definedAt":${json(snapshot.definedAt)},"deps":${json(snapshot.deps)}` +
    `,"description":${json(snapshot.description)},"freshness":${json(snapshot.freshness)}` +
    `,"group":${json(snapshot.group)},"key":${json(snapshot.key)}` +
    `,"kind":${json(snapshot.kind)},"owners":${json(snapshot.owners)}` +
    `,"partitionMappings":${json(snapshot.partitionMappings)},"partitions":${json(snapshot.partitions)}` +
    `,"pool":${json(snapshot.pool)}` +
    `,"retry":${json(snapshot.retry)}` +
    `,"tags":${json(snapshot.tags)}}`
  );
}

/**
 * JSON with object fields sorted by name and `undefined` fields dropped, so that equal values
 * always serialize to the same text.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  let out: string;
  if (Array.isArray(value)) {
    out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record).sort();
  out = '{';
  for (const field of fields) {
    const fieldValue = record[field];
    if (fieldValue === undefined) continue;
    out += (out.length === 1 ? '' : ',') + JSON.stringify(field) + ':' + canonicalJson(fieldValue);
  }
  return out + '}';
}
