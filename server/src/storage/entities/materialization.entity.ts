import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonValue } from '../json-value.js';
import type { PayloadRef } from '../../sdk/payload-ref.js';
import type { TableMetadata } from '../../sdk/table-metadata.js';
import { safeIntegerColumn } from '../safe-integer.js';

/** How the output was produced, so a downstream input is decoded into the same shape. */
export type OutputValueType = 'json' | 'buffer' | 'stream' | 'ref' | 'none' | 'table';

@Entity({ name: 'materializations' })
@Index('materializations_asset_idx', ['assetKey', 'partitionKey', 'createdAt'])
export class MaterializationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', name: 'asset_key' })
  assetKey!: string;

  @Column({ type: 'text', name: 'partition_key', default: '' })
  partitionKey!: string;

  @Column({ type: 'uuid', name: 'run_id' })
  runId!: string;

  /** Unique: a step is materialized at most once, however often its job is delivered. */
  @Column({ type: 'uuid', name: 'step_id', unique: true })
  stepId!: string;

  @Column({ type: 'uuid', name: 'attempt_id' })
  attemptId!: string;

  @Column({ type: 'text', name: 'code_version', nullable: true })
  codeVersion!: string | null;

  /** SHA-256 of the stored output bytes. */
  @Column({ type: 'text', name: 'data_version' })
  dataVersion!: string;

  @Column({ type: 'text', name: 'value_type' })
  valueType!: OutputValueType;

  /** The output itself when its JSON is at most the inline limit. */
  @Column({ type: 'jsonb', name: 'output_inline', nullable: true })
  outputInline!: JsonValue;

  /** Where the output lives when it is not inline. */
  @Column({ type: 'jsonb', name: 'output_ref', nullable: true })
  outputRef!: PayloadRef | null;

  /** Size in bytes of the serialized output, inline or not. 64-bit: outputs of 2 GiB and more exist. */
  @Column({ type: 'bigint', name: 'output_size', transformer: safeIntegerColumn('materializations.output_size') })
  outputSize!: number;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  metadata!: Record<string, number | string | boolean>;

  /** Row count, bytes, schema and column lineage when the output is a table; null otherwise. */
  @Column({ type: 'jsonb', name: 'table_metadata', nullable: true })
  tableMetadata!: TableMetadata | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
