import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { JsonObject } from '../json-value.js';

/** One asset as deployed: everything but its code. */
export interface AssetSnapshot {
  key: string;
  kind: 'asset' | 'source';
  deps: Record<string, string>;
  group: string;
  owners: string[];
  tags: Record<string, string>;
  description: string | null;
  codeVersion: string | null;
  pool: string | null;
  automation: JsonObject | null;
  retry: JsonObject | null;
  /** The freshness policy (`maxLag` or `deadline`) as given, unset fields left out. */
  freshness: JsonObject | null;
  /** Data-quality checks in the order they run; `[]` for none and for source assets. */
  checks: Array<{ name: string; severity: 'warn' | 'error'; description: string | null }>;
  /** How the asset is partitioned (the definition as given, unset fields left out), or null. */
  partitions: JsonObject | null;
  /** The partition mappings declared with `withMapping`, by input name; `{}` for none. */
  partitionMappings: Record<string, JsonObject>;
  definedAt: string;
}

/** The asset definitions of one deploy, stored once per distinct content hash. */
@Entity({ name: 'definition_snapshots' })
export class DefinitionSnapshotEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', unique: true })
  hash!: string;

  @Column({ type: 'jsonb' })
  assets!: AssetSnapshot[];

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
