import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import { queryRecords } from '../../database/query-records.js';
import { Wallet } from './entities/wallet.entity.js';
import type { WalletTransactionType } from './entities/wallet-transaction.entity.js';

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
   * locked first, so concurrent credits line up and each ledger row's balance_after is right; the
   * ledger's unique (organization, reference) index refuses a second booking of the same money,
   * and only a new ledger row moves the balance. Returns the new balance, or null when the
   * reference was booked already.
   */
  async creditOnce(manager: EntityManager, credit: Credit): Promise<number | null> {
    await queryRecords(
      manager,
      'INSERT INTO wallets (organization_id) VALUES ($1) ON CONFLICT DO NOTHING',
      [credit.organizationId],
    );
    const [locked] = await queryRecords<{ balance: string }>(
      manager,
      'SELECT balance FROM wallets WHERE organization_id = $1 FOR UPDATE',
      [credit.organizationId],
    );
    const booked = await queryRecords<{ id: string }>(
      manager,
      `INSERT INTO wallet_transactions (organization_id, type, amount, balance_after, reference, description)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (organization_id, reference) DO NOTHING
       RETURNING id`,
      [
        credit.organizationId,
        credit.type,
        credit.amount,
        Number(locked.balance) + credit.amount,
        credit.reference,
        credit.description,
      ],
    );
    if (booked.length === 0) return null;
    const [wallet] = await queryRecords<{ balance: string }>(
      manager,
      'UPDATE wallets SET balance = balance + $2, updated_at = now() WHERE organization_id = $1 RETURNING balance',
      [credit.organizationId, credit.amount],
    );
    return Number(wallet.balance);
  }
}
