import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';

export type IntentKind = 'subscription' | 'credits';
export type IntentStatus = 'pending' | 'completed' | 'failed' | 'expired';

/**
 * Every paid operation starts here (DESIGN principle 3). Changes go through
 * IntentRepository.applyIfVersion only: TypeORM's save() does not check `version`.
 */
@Entity('subscription_intents')
@Index('uq_subscription_intents_idempotency', ['organizationId', 'idempotencyKey'], {
  unique: true,
  where: '"idempotency_key" IS NOT NULL',
})
@Index('uq_subscription_intents_session', ['stripeSessionId'], {
  unique: true,
  where: '"stripe_session_id" IS NOT NULL',
})
@Index('ix_subscription_intents_pending', ['status', 'expiresAt'])
// One subscription checkout at a time per organization, so at most one session can be paid.
@Index('uq_subscription_intents_one_pending', ['organizationId'], {
  unique: true,
  where: `"kind" = 'subscription' AND "status" = 'pending'`,
})
@Check('ck_subscription_intents_kind', `"kind" IN ('subscription', 'credits')`)
@Check(
  'ck_subscription_intents_status',
  `"status" IN ('pending', 'completed', 'failed', 'expired')`,
)
export class SubscriptionIntent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey('Organization', 'id', {
    name: 'fk_subscription_intents_organization',
    onDelete: 'CASCADE',
  })
  organizationId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: IntentKind;

  /** What is bought: `tier` and `billingCycle`, or `packKey`. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  tier!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  billingCycle!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  packKey!: string | null;

  @Column({ type: 'varchar', length: 2 })
  region!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  /** The catalog price at the time of purchase, integer minor units. */
  @Column({ type: 'integer' })
  unitAmount!: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: IntentStatus;

  @Column({ type: 'varchar', length: 255, nullable: true })
  stripeSessionId!: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  checkoutUrl!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  stripeSubscriptionId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  idempotencyKey!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  failureReason!: string | null;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  @ForeignKey('User', 'id', { name: 'fk_subscription_intents_created_by', onDelete: 'SET NULL' })
  createdBy!: string | null;

  @VersionColumn({ default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
