import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { safeIntegerColumn } from '../safe-integer.js';

export type AttemptStatus = 'running' | 'succeeded' | 'failed' | 'lost' | 'canceled';
/**
 * Why an attempt failed: `user` (the asset threw), `non_retryable` (it threw a non-retryable
 * error), `timeout` (over its time limit), `out_of_memory` (over its isolate's heap limit),
 * `crashed` (its isolate died: process.exit(), an uncaught error), `canceled` (its run was
 * cancelled, or it was terminated at shutdown), `lost` (its worker stopped heartbeating),
 * `check` (a blocking check failed), `system` (Weir could not run it), `commit_failed` (the
 * output was stored but recording it in the database failed: the engine's failure, not the
 * asset's; the stored objects are deleted and the step is retried per its policy).
 */
export type AttemptErrorKind =
  | 'user'
  | 'timeout'
  | 'out_of_memory'
  | 'crashed'
  | 'canceled'
  | 'lost'
  | 'non_retryable'
  | 'system'
  | 'check'
  | 'commit_failed';

@Entity({ name: 'attempts' })
@Unique('attempts_step_number_uq', ['stepId', 'number'])
@Index('attempts_status_idx', ['status'])
export class AttemptEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid', name: 'step_id' })
  stepId!: string;

  @Column({ type: 'uuid', name: 'run_id' })
  runId!: string;

  /** 1-based try number within the step. */
  @Column({ type: 'integer' })
  number!: number;

  @Column({ type: 'text' })
  status!: AttemptStatus;

  @Column({ type: 'text', name: 'worker_id' })
  workerId!: string;

  @Column({ type: 'timestamptz', name: 'heartbeat_at' })
  heartbeatAt!: Date;

  @Column({ type: 'timestamptz', name: 'started_at' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', name: 'ended_at', nullable: true })
  endedAt!: Date | null;

  @Column({ type: 'text', name: 'error_kind', nullable: true })
  errorKind!: AttemptErrorKind | null;

  @Column({ type: 'text', name: 'error_message', nullable: true })
  errorMessage!: string | null;

  @Column({ type: 'text', name: 'error_stack', nullable: true })
  errorStack!: string | null;

  /** The wait chosen before the next attempt, or null when none follows. 64-bit: a `delay: '30d'` is over 2^31 ms. */
  @Column({
    type: 'bigint',
    name: 'retry_delay_ms',
    nullable: true,
    transformer: safeIntegerColumn('attempts.retry_delay_ms'),
  })
  retryDelayMs!: number | null;
}
