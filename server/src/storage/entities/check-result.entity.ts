import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import type { CheckSeverity } from '../../sdk/check.js';

/** The result of one asset check on one materialization. Written with the materialization. */
@Entity({ name: 'check_results' })
@Unique('check_results_materialization_check_uq', ['materializationId', 'checkName'])
@Index('check_results_asset_idx', ['assetKey', 'checkName', 'createdAt'])
export class CheckResultEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid', name: 'materialization_id' })
  materializationId!: string;

  @Column({ type: 'text', name: 'asset_key' })
  assetKey!: string;

  @Column({ type: 'text', name: 'partition_key', default: '' })
  partitionKey!: string;

  @Column({ type: 'uuid', name: 'run_id' })
  runId!: string;

  @Column({ type: 'uuid', name: 'step_id' })
  stepId!: string;

  @Column({ type: 'text', name: 'check_name' })
  checkName!: string;

  /** Position of the check in the asset's list: the order the checks ran in. */
  @Column({ type: 'integer', default: 0 })
  ordinal!: number;

  @Column({ type: 'text' })
  severity!: CheckSeverity;

  @Column({ type: 'boolean' })
  passed!: boolean;

  /** The check's message, or the error it threw. */
  @Column({ type: 'text', nullable: true })
  message!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  metadata!: Record<string, number | string | boolean>;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
