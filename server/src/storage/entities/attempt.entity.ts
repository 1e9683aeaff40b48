import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

export type AttemptStatus = 'running' | 'succeeded' | 'failed' | 'lost' | 'canceled';
/**
 * user: the asset code threw; timeout: it ran too long; lost: its worker died; non_retryable: see
 * NonRetryableError; check: the output was stored but a blocking asset check failed on it.
 */
/**
 * Why an attempt failed: `user` (the asset threw), `non_retryable` (it threw a non-retryable
 * error), `timeout` (over its time limit), `out_of_memory` (over its isolate's heap limit),
 * `crashed` (its isolate died: process.exit(), an uncaught error), `canceled` (its run was
 * cancelled, or it was terminated at shutdown), `lost` (its worker stopped heartbeating),
 * `check` (a blocking check failed), `system` (Weir could not run it).
 */
export type AttemptErrorKind =
  'user' | 'timeout' | 'out_of_memory' | 'crashed' | 'canceled' | 'lost' | 'non_retryable' | 'system' | 'check';

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

  /** The wait chosen before the next attempt, or null when none follows. */
  @Column({ type: 'integer', name: 'retry_delay_ms', nullable: true })
  retryDelayMs!: number | null;
}
