import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

export type ReservationStatus = 'held' | 'finalized' | 'released' | 'expired';

/**
 * Credits held for work whose final cost is known only afterwards. While `held`, its amount is
 * part of the wallet's `held`; finalizing charges up to it and releases the rest.
 */
@Entity('credit_reservations')
@Index('uq_credit_reservations_key', ['organizationId', 'idempotencyKey'], { unique: true })
@Index('ix_credit_reservations_expiry', ['status', 'expiresAt'])
@Check('ck_credit_reservations_status', `"status" IN ('held', 'finalized', 'released', 'expired')`)
@Check('ck_credit_reservations_amount', `"amount" > 0`)
export class CreditReservation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @ForeignKey('Wallet', 'organizationId', {
    name: 'fk_credit_reservations_wallet',
    onDelete: 'CASCADE',
  })
  organizationId!: string;

  @Column({ type: 'varchar', length: 255 })
  idempotencyKey!: string;

  @Column({ type: 'varchar', length: 64 })
  featureKey!: string;

  @Column({ type: 'bigint' })
  amount!: string;

  @Column({ type: 'varchar', length: 16, default: 'held' })
  status!: ReservationStatus;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description!: string | null;

  /** What finalizing charged, and the ledger row it wrote. */
  @Column({ type: 'bigint', nullable: true })
  charged!: string | null;

  /** The wallet's balance right after the finalize: a repeated finalize answers with it. */
  @Column({ type: 'bigint', nullable: true })
  balanceAfter!: string | null;

  @Column({ type: 'uuid', nullable: true })
  transactionId!: string | null;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
