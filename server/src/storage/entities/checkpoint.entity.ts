import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonValue } from '../json-value.js';
import type { PayloadRef } from '../../sdk/payload-ref.js';

/** Durable progress inside a step (`ctx.checkpoint(state)`), read back by the next attempt. */
@Entity({ name: 'checkpoints' })
@Index('checkpoints_step_idx', ['stepId', 'createdAt'])
export class CheckpointEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid', name: 'step_id' })
  stepId!: string;

  @Column({ type: 'uuid', name: 'attempt_id' })
  attemptId!: string;

  @Column({ type: 'jsonb', name: 'state_inline', nullable: true })
  stateInline!: JsonValue;

  @Column({ type: 'jsonb', name: 'state_ref', nullable: true })
  stateRef!: PayloadRef | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
