import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
} from 'typeorm';

export type WalletTransactionType = 'purchase' | 'usage' | 'refund' | 'grant' | 'adjustment';

/**
 * The append-only ledger. `reference` is unique per organization, so the same money (a checkout
 * session, an idempotent charge) can never be booked twice.
 */
@Entity('wallet_transactions')
@Index('uq_wallet_transactions_reference', ['organizationId', 'reference'], { unique: true })
@Index('ix_wallet_transactions_organization_seq', ['organizationId', 'seq'])
@Check(
  'ck_wallet_transactions_type',
  `"type" IN ('purchase', 'usage', 'refund', 'grant', 'adjustment')`,
)
export class WalletTransaction {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /**
   * The ledger's order. Entries of one transaction share `createdAt` (a purchase and the debt
   * it pays), and a wallet's entries are written under its row lock, so this sequence orders
   * each wallet's ledger as it was booked.
   */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', select: false })
  seq!: string;

  @Column({ type: 'uuid' })
  @ForeignKey('Wallet', 'organizationId', {
    name: 'fk_wallet_transactions_wallet',
    onDelete: 'CASCADE',
  })
  organizationId!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: WalletTransactionType;

  /** Signed: credits in are positive, credits out negative. */
  @Column({ type: 'bigint' })
  amount!: string;

  @Column({ type: 'bigint' })
  balanceAfter!: string;

  @Column({ type: 'varchar', length: 255 })
  reference!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
