import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `sending`: claimed by a process; `sent`: delivered; `failed`: given up (claimable again). */
export type AlertDeliveryStatus = 'sending' | 'sent' | 'failed';

/**
 * One alert to one sink. The primary key (sink, dedup key) is what makes an alert go out at most
 * once per sink, across restarts and servers. Holds no URL: sinks are named, never located.
 */
@Entity({ name: 'alert_deliveries' })
export class AlertDeliveryEntity {
  @PrimaryColumn({ type: 'text' })
  sink!: string;

  @PrimaryColumn({ type: 'text', name: 'dedup_key' })
  dedupKey!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  status!: AlertDeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Why the last delivery failed (never contains the sink's URL). */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ type: 'timestamptz', name: 'claimed_at' })
  claimedAt!: Date;

  @Column({ type: 'timestamptz', name: 'sent_at', nullable: true })
  sentAt!: Date | null;
}
