import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export interface PaymentFailure {
  invoiceId: string;
  attemptCount: number;
  nextAttemptAt: string | null;
  /** The decline as Stripe reported it (`insufficient_funds: Your card has insufficient funds.`). */
  reason: string | null;
  failedAt: string;
}

export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'canceled' | 'expired';
export const LIVE_SUBSCRIPTION_STATUSES: SubscriptionStatus[] = ['trialing', 'active', 'past_due'];

/** An organization's subscription as Stripe reports it (Stripe is the source of truth). */
@Entity('subscriptions')
@Index('uq_subscriptions_stripe', ['stripeSubscriptionId'], { unique: true })
@Index('ix_subscriptions_organization', ['organizationId', 'status'])
@Index('ix_subscriptions_flagged', ['flaggedReason'], { where: '"flagged_reason" IS NOT NULL' })
@Check(
  'ck_subscriptions_status',
  `"status" IN ('trialing', 'active', 'past_due', 'canceled', 'expired')`,
)
export class Subscription {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey('Organization', 'id', { name: 'fk_subscriptions_organization', onDelete: 'CASCADE' })
  organizationId!: string;

  @Column({ type: 'varchar', length: 255 })
  stripeSubscriptionId!: string;

  @Column({ type: 'varchar', length: 32 })
  productKey!: string;

  @Column({ type: 'varchar', length: 32 })
  tier!: string;

  @Column({ type: 'varchar', length: 16 })
  billingCycle!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: SubscriptionStatus;

  @Column({ type: 'varchar', length: 2 })
  region!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'timestamptz', nullable: true })
  currentPeriodEnd!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  trialEnd!: Date | null;

  @Column({ type: 'boolean', default: false })
  cancelAtPeriodEnd!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  gracePeriodEnd!: Date | null;

  /** A downgrade scheduled for the period end: `{ tier, billingCycle, effectiveAt }`. */
  @Column({ type: 'jsonb', nullable: true })
  pendingChange!: { tier: string; billingCycle: string; effectiveAt: string } | null;

  /** Stripe's `created` of the newest event applied: older events are skipped. */
  @Column({ type: 'bigint', nullable: true })
  lastEventCreated!: string | null;

  /** When the state applied last was read from Stripe: a read that started earlier is stale. */
  @Column({ type: 'timestamptz', nullable: true })
  syncedAt!: Date | null;

  /** Why operators must look (a price outside the catalog, a second live subscription). */
  @Column({ type: 'varchar', length: 300, nullable: true })
  flaggedReason!: string | null;

  /** The last failed payment as Stripe reported it: `{ invoiceId, attemptCount, nextAttemptAt, reason, failedAt }`. */
  @Column({ type: 'jsonb', nullable: true })
  lastPaymentFailure!: PaymentFailure | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
