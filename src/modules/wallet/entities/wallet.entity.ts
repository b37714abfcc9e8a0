import { Check, Column, Entity, ForeignKey, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * An organization's credits. `balance` always equals the sum of its ledger; the CHECK keeps it
 * from going below zero whatever the code does.
 */
@Entity('wallets')
@Check('ck_wallets_balance_non_negative', `"balance" >= 0`)
@Check('ck_wallets_held_within_balance', `"held" >= 0 AND "held" <= "balance"`)
export class Wallet {
  @PrimaryColumn({ type: 'uuid' })
  @ForeignKey('Organization', 'id', { name: 'fk_wallets_organization', onDelete: 'CASCADE' })
  organizationId!: string;

  @Column({ type: 'bigint', default: 0 })
  balance!: string;

  /** Credits reserved for work whose final cost is not known yet. */
  @Column({ type: 'bigint', default: 0 })
  held!: string;

  @Column({ type: 'bigint', nullable: true })
  lowBalanceThreshold!: string | null;

  /** Set when `available` fell below the threshold and the alert went out; cleared once above. */
  @Column({ type: 'boolean', default: false })
  lowBalanceAlerted!: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
