import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonObject } from '../json-value.js';

/** An external system reported that a (source) asset changed. */
@Entity({ name: 'observations' })
@Index('observations_asset_idx', ['assetKey', 'partitionKey', 'createdAt'])
export class ObservationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', name: 'asset_key' })
  assetKey!: string;

  @Column({ type: 'text', name: 'partition_key', default: '' })
  partitionKey!: string;

  @Column({ type: 'text', name: 'data_version', nullable: true })
  dataVersion!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  metadata!: JsonObject;

  /** Who reported it: `api`, `cli`, `sensor:<name>`. */
  @Column({ type: 'text' })
  source!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
