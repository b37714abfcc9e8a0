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

/** `processing`: the session completed and an asynchronous payment (a bank debit) is on its way. */
export type PurchaseStatus = 'pending' | 'processing' | 'paid' | 'expired' | 'failed' | 'refunded';
export type DisputeStatus = 'open' | 'won' | 'lost';

/** One credit pack checkout, from the click to Stripe's confirmation (and any refund). */
@Entity('purchases')
@Index('uq_purchases_intent', ['intentId'], { unique: true })
@Index('ix_purchases_organization', ['organizationId', 'createdAt'])
@Check('ck_purchases_dispute_status', `"dispute_status" IN ('open', 'won', 'lost')`)
@Check(
  'ck_purchases_status',
  `"status" IN ('pending', 'processing', 'paid', 'expired', 'failed', 'refunded')`,
)
export class CreditPurchase {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey('Organization', 'id', { name: 'fk_purchases_organization', onDelete: 'CASCADE' })
  organizationId!: string;

  @Column({ type: 'uuid' })
  @ForeignKey('SubscriptionIntent', 'id', { name: 'fk_purchases_intent', onDelete: 'CASCADE' })
  intentId!: string;

  @Column({ type: 'varchar', length: 32 })
  packKey!: string;

  @Column({ type: 'integer' })
  credits!: number;

  @Column({ type: 'integer' })
  bonusCredits!: number;

  /** Integer minor units. */
  @Column({ type: 'integer' })
  unitAmount!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: PurchaseStatus;

  @Column({ type: 'varchar', length: 255, nullable: true })
  stripeSessionId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  stripePaymentIntentId!: string | null;

  /** Integer minor units refunded so far (Stripe's cumulative `amount_refunded`). */
  @Column({ type: 'integer', default: 0 })
  refundedAmount!: number;

  /** Credits the refunds so far account for, including any the wallet no longer held. */
  @Column({ type: 'integer', default: 0 })
  refundedCredits!: number;

  /** The payment's dispute (chargeback), if any: open while the bank decides. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  stripeDisputeId!: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  disputeStatus!: DisputeStatus | null;

  /** Credits of this purchase frozen in the wallet while its dispute is open. */
  @Column({ type: 'integer', default: 0 })
  frozenCredits!: number;

  @Column({ type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
