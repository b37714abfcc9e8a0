import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventBus } from '../../events/event-bus.js';
import { WalletRepository, type Credit } from './wallet.repository.js';

@Injectable()
export class WalletService {
  constructor(
    private readonly wallets: WalletRepository,
    private readonly events: EventBus,
  ) {}

  /** Books `credit` once per reference (see WalletRepository.creditOnce); null when booked before. */
  async creditOnce(manager: EntityManager, credit: Credit): Promise<number | null> {
    const balance = await this.wallets.creditOnce(manager, credit);
    if (balance !== null) this.updated(manager, credit.organizationId, balance);
    return balance;
  }

  /** Takes up to `debit.amount` free credits once per reference (see WalletRepository.debitUpTo). */
  async debitUpTo(
    manager: EntityManager,
    debit: Credit,
  ): Promise<{ taken: number; balance: number } | null> {
    const result = await this.wallets.debitUpTo(manager, debit);
    if (result) this.updated(manager, debit.organizationId, result.balance);
    return result;
  }

  /** The organization's credit balance; an organization that never had credits has none. */
  async balanceOf(organizationId: string): Promise<number> {
    return Number((await this.wallets.find(organizationId))?.balance ?? 0);
  }

  private updated(manager: EntityManager, organizationId: string, balance: number): void {
    this.events.publishAfterCommit(manager, 'wallet.updated', { organizationId, balance });
  }
}
