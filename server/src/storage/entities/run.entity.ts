import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonObject } from '../json-value.js';

/** Why a run exists. */
export type RunTrigger =
  'manual' | 'schedule' | 'upstream' | 'automation' | 'backfill' | 'sensor' | 'reexecution' | 'external';
/** `canceling`: cancel was requested and running steps are being aborted. */
export type RunStatus = 'queued' | 'running' | 'canceling' | 'succeeded' | 'failed' | 'canceled';

@Entity({ name: 'runs' })
@Index('runs_created_at_idx', ['createdAt'])
export class RunEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  status!: RunStatus;

  @Column({ type: 'text' })
  trigger!: RunTrigger;

  /** Trigger specifics: the cron tick, the upstream event ids, the re-executed run, … */
  @Column({ type: 'jsonb', name: 'trigger_detail', default: () => "'{}'" })
  triggerDetail!: JsonObject;

  /** The selection as the user typed it (e.g. `+gold/revenue`). */
  @Column({ type: 'text' })
  selection!: string;

  /** The run config as given at launch, keyed by asset key (see runs/run-config.ts); null when none was. */
  @Column({ type: 'jsonb', nullable: true })
  config!: JsonObject | null;

  @Column({ type: 'uuid', name: 'snapshot_id' })
  snapshotId!: string;

  @Column({ type: 'uuid', name: 'parent_run_id', nullable: true })
  parentRunId!: string | null;

  /** Makes trigger delivery idempotent: a second request with the same key finds this run. */
  @Column({ type: 'text', name: 'idempotency_key', nullable: true, unique: true })
  idempotencyKey!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'started_at', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'ended_at', nullable: true })
  endedAt!: Date | null;
}
