import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { JsonObject } from '../json-value.js';

export type EventLevel = 'debug' | 'info' | 'warn' | 'error';

/** One line of the append-only event log. Rows are inserted, never updated or deleted. */
@Entity({ name: 'event_log' })
@Index('event_log_run_idx', ['runId', 'id'])
@Index('event_log_asset_idx', ['assetKey', 'id'])
export class EventEntity {
  /** bigint: returned as a string, ordered by insertion. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  /** e.g. `run.started`, `step.attempt_failed`, `step.materialized`, `log`. */
  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text', default: 'info' })
  level!: EventLevel;

  @Column({ type: 'text', default: '' })
  message!: string;

  @Column({ type: 'uuid', name: 'run_id', nullable: true })
  runId!: string | null;

  @Column({ type: 'uuid', name: 'step_id', nullable: true })
  stepId!: string | null;

  @Column({ type: 'uuid', name: 'attempt_id', nullable: true })
  attemptId!: string | null;

  @Column({ type: 'text', name: 'asset_key', nullable: true })
  assetKey!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: JsonObject;
}
