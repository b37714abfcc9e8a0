import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { WalletRepository, type Credit } from './wallet.repository.js';

@Injectable()
export class WalletService {
  constructor(private readonly wallets: WalletRepository) {}

  /** Books `credit` once per reference (see WalletRepository.creditOnce); null when booked before. */
  creditOnce(manager: EntityManager, credit: Credit): Promise<number | null> {
    return this.wallets.creditOnce(manager, credit);
  }

  /** Takes up to `debit.amount` free credits once per reference (see WalletRepository.debitUpTo). */
  debitUpTo(manager: EntityManager, debit: Credit): Promise<{ taken: number; balance: number } | null> {
    return this.wallets.debitUpTo(manager, debit);
  }

  /** The organization's credit balance; an organization that never had credits has none. */
  async balanceOf(organizationId: string): Promise<number> {
    return Number((await this.wallets.find(organizationId))?.balance ?? 0);
  }
}
