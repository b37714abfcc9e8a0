import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { queryRecords } from '../../database/query-records.js';
import { Wallet } from './entities/wallet.entity.js';
import type { WalletTransactionType } from './entities/wallet-transaction.entity.js';

/** A ledger booking: `amount` is positive for credits in; a debit gives the most it may take. */
export interface Credit {
  organizationId: string;
  amount: number;
  type: WalletTransactionType;
  reference: string;
  description: string;
}

@Injectable()
export class WalletRepository {
  constructor(@InjectRepository(Wallet) private readonly wallets: Repository<Wallet>) {}

  find(organizationId: string): Promise<Wallet | null> {
    return this.wallets.findOneBy({ organizationId });
  }

  /**
   * Adds credits exactly once per reference, inside the caller's transaction. The wallet row is
   * locked first, so concurrent bookings line up and each ledger row's balance_after is right; the
   * ledger's unique (organization, reference) index refuses a second booking of the same money,
   * and only a new ledger row moves the balance. Returns the new balance, or null when the
   * reference was booked already.
   */
  async creditOnce(manager: EntityManager, credit: Credit): Promise<number | null> {
    const { balance } = await this.lock(manager, credit.organizationId);
    if (!(await this.book(manager, credit, credit.amount, balance))) return null;
    return this.move(manager, credit.organizationId, credit.amount);
  }

  /**
   * Takes up to `debit.amount` credits once per reference, never more than is free (balance less
   * held): what a refund claws back from credits that may already be spent. Same locking and
   * once-per-reference rule as creditOnce. Returns what was taken and the new balance, or null
   * when the reference was booked already.
   */
  async debitUpTo(
    manager: EntityManager,
    debit: Credit,
  ): Promise<{ taken: number; balance: number } | null> {
    const { balance, held } = await this.lock(manager, debit.organizationId);
    const taken = Math.max(0, Math.min(debit.amount, balance - held));
    if (!(await this.book(manager, debit, -taken, balance))) return null;
    return { taken, balance: await this.move(manager, debit.organizationId, -taken) };
  }

  /** Creates the wallet on first use and locks its row until the caller's transaction ends. */
  private async lock(
    manager: EntityManager,
    organizationId: string,
  ): Promise<{ balance: number; held: number }> {
    await queryRecords(
      manager,
      'INSERT INTO wallets (organization_id) VALUES ($1) ON CONFLICT DO NOTHING',
      [organizationId],
    );
    const [locked] = await queryRecords<{ balance: string; held: string }>(
      manager,
      'SELECT balance, held FROM wallets WHERE organization_id = $1 FOR UPDATE',
      [organizationId],
    );
    return { balance: Number(locked.balance), held: Number(locked.held) };
  }

  /** The ledger row; false when its reference was booked before. */
  private async book(
    manager: EntityManager,
    entry: Credit,
    amount: number,
    balanceBefore: number,
  ): Promise<boolean> {
    const booked = await queryRecords<{ id: string }>(
      manager,
      `INSERT INTO wallet_transactions (organization_id, type, amount, balance_after, reference, description)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (organization_id, reference) DO NOTHING
       RETURNING id`,
      [
        entry.organizationId,
        entry.type,
        amount,
        balanceBefore + amount,
        entry.reference,
        entry.description,
      ],
    );
    return booked.length > 0;
  }

  private async move(manager: EntityManager, organizationId: string, amount: number) {
    const [wallet] = await queryRecords<{ balance: string }>(
      manager,
      'UPDATE wallets SET balance = balance + $2, updated_at = now() WHERE organization_id = $1 RETURNING balance',
      [organizationId, amount],
    );
    return Number(wallet.balance);
  }
}
