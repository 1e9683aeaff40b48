import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

export type StepStatus =
  | 'pending' // waiting for upstream steps of the same run
  | 'queued' // handed to the executor
  | 'running'
  | 'retry_scheduled' // failed; next attempt due at `nextAttemptAt`
  | 'succeeded'
  | 'failed'
  | 'skipped' // an upstream step failed
  | 'canceled';

export const TERMINAL_STEP_STATUSES: readonly StepStatus[] = ['succeeded', 'failed', 'skipped', 'canceled'];

@Entity({ name: 'steps' })
@Unique('steps_run_asset_partition_uq', ['runId', 'assetKey', 'partitionKey'])
@Index('steps_status_idx', ['status'])
@Index('steps_run_status_idx', ['runId', 'status'])
export class StepEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid', name: 'run_id' })
  runId!: string;

  @Column({ type: 'text', name: 'asset_key' })
  assetKey!: string;

  /** '' for unpartitioned assets, so the unique constraint holds (NULLs never collide). */
  @Column({ type: 'text', name: 'partition_key', default: '' })
  partitionKey!: string;

  @Column({ type: 'text' })
  status!: StepStatus;

  /** Ids of the steps of the same run that must succeed first. */
  @Column({ type: 'jsonb', name: 'depends_on', default: () => "'[]'" })
  dependsOn!: string[];

  /** Ids of the steps of the same run that depend on this one (the inverse of `dependsOn`). */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  dependents!: string[];

  /**
   * Upstream steps not yet succeeded. Each success decrements its dependents' counters in its
   * own transaction (row locks serialize concurrent ones), and the one that reaches zero
   * queues the step: no scan of the run per step.
   */
  @Column({ type: 'integer', name: 'waiting_on', default: 0 })
  waitingOn!: number;

  /** Position in the run's topological order, for listing steps upstream first. */
  @Column({ type: 'integer', default: 0 })
  ordinal!: number;

  /** Number of attempts started so far. */
  @Column({ type: 'integer', name: 'attempt_count', default: 0 })
  attemptCount!: number;

  /** When status is `retry_scheduled`: when the next attempt is due. Survives restarts. */
  @Column({ type: 'timestamptz', name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;

  /** The asset's concurrency pool when it was planned, or null. */
  @Column({ type: 'text', nullable: true })
  pool!: string | null;

  /** When the step was last queued (database time): the reconciler re-dispatches steps queued long ago whose job is gone. */
  @Column({ type: 'timestamptz', name: 'queued_at', nullable: true })
  queuedAt!: Date | null;

  /** Re-execution: the materialization reused instead of computing this step. */
  @Column({ type: 'uuid', name: 'reused_materialization_id', nullable: true })
  reusedMaterializationId!: string | null;

  @Column({ type: 'timestamptz', name: 'started_at', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'ended_at', nullable: true })
  endedAt!: Date | null;

  @Column({ type: 'text', name: 'error_message', nullable: true })
  errorMessage!: string | null;
}
