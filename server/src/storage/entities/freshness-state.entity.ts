import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Freshness status of an asset (per partition; `''` while assets are not partitioned). */
export type FreshnessStateStatus = 'fresh' | 'warning' | 'late';

/**
 * The current freshness status of one asset partition. Changed only together with the
 * `freshness.*` event describing the change, under a lock on this row.
 */
@Entity({ name: 'freshness_states' })
export class FreshnessStateEntity {
  @PrimaryColumn({ type: 'text', name: 'asset_key' })
  assetKey!: string;

  @PrimaryColumn({ type: 'text', name: 'partition_key', default: '' })
  partitionKey!: string;

  @Column({ type: 'text' })
  status!: FreshnessStateStatus;

  /** When the asset entered this status. */
  @Column({ type: 'timestamptz' })
  since!: Date;

  @Column({ type: 'timestamptz', name: 'last_materialized_at', nullable: true })
  lastMaterializedAt!: Date | null;

  /** The deadline missed by the latest breach (kept after recovery, for the recovery notice). */
  @Column({ type: 'timestamptz', name: 'missed_deadline', nullable: true })
  missedDeadline!: Date | null;

  /** Age of the latest materialization when the status last changed; bigint, read as a string. */
  @Column({ type: 'bigint', name: 'lag_ms', nullable: true })
  lagMs!: string | null;

  /** When the asset last became late. */
  @Column({ type: 'timestamptz', name: 'last_breach_at', nullable: true })
  lastBreachAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
