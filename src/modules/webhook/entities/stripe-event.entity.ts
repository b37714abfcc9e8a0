import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type StripeEventStatus = 'received' | 'processed' | 'failed' | 'ignored';

/** The inbox: every Stripe event, stored by its id before anything is done with it. */
@Entity('stripe_events')
@Index('ix_stripe_events_status', ['status', 'receivedAt'])
@Index('ix_stripe_events_retry', ['status', 'nextAttemptAt'])
@Check('ck_stripe_events_status', `"status" IN ('received', 'processed', 'failed', 'ignored')`)
export class StripeEvent {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  type!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** Stripe's `created`, in seconds. */
  @Column({ type: 'bigint' })
  stripeCreated!: string;

  @Column({ type: 'varchar', length: 16, default: 'received' })
  status!: StripeEventStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  lastError!: string | null;

  /** When the retry job may try a failed event again (exponential backoff). */
  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  processedAt!: Date | null;
}
