import { Check, Column, Entity, ForeignKey, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * An organization's credits. `balance` always equals the sum of its ledger; the CHECKs keep it
 * from going below zero, and what is held or frozen within it, whatever the code does. What may
 * be spent is `balance - held - frozen - debt` (DESIGN principle 4).
 */
@Entity('wallets')
@Check('ck_wallets_balance_non_negative', `"balance" >= 0`)
@Check(
  'ck_wallets_held_within_balance',
  `"held" >= 0 AND "frozen" >= 0 AND "held" + "frozen" <= "balance"`,
)
@Check('ck_wallets_debt_non_negative', `"debt" >= 0`)
export class Wallet {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey('Organization', 'id', { name: 'fk_wallets_organization', onDelete: 'CASCADE' })
  organizationId!: string;

  @Column({ type: 'bigint', default: 0 })
  balance!: string;

  /** Credits reserved for work whose final cost is not known yet. */
  @Column({ type: 'bigint', default: 0 })
  held!: string;

  /**
   * Credits that left after they were spent or held (a refund, a lost dispute): paid first from
   * the next credits that come in or are freed, each payment a ledger entry.
   */
  @Column({ type: 'bigint', default: 0 })
  debt!: string;

  /** Credits of purchases under an open dispute: kept, but not spendable. */
  @Column({ type: 'bigint', default: 0 })
  frozen!: string;

  @Column({ type: 'bigint', nullable: true })
  lowBalanceThreshold!: string | null;

  /** Set when `available` fell below the threshold and the alert went out; cleared once above. */
  @Column({ type: 'boolean', default: false })
  lowBalanceAlerted!: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
