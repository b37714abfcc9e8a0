import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { pageOf, type Page, type PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { AuditService } from '../audit/audit.service.js';
import type { AuditContext } from '../audit/audit.types.js';
import { insufficientCredits } from './credit-charge.service.js';
import type { WalletDto, WalletTransactionDto } from './dto/wallet.dto.js';
import { WalletNotices } from './wallet-notices.js';
import { WalletRepository, type Credit } from './wallet.repository.js';

/** The organization's wallet: what it holds, its ledger, and bookings for other modules. */
@Injectable()
export class WalletService {
  constructor(
    private readonly wallets: WalletRepository,
    private readonly notices: WalletNotices,
    private readonly transactions: TransactionRunner,
    private readonly auditLog: AuditService,
  ) {}

  /** Books `credit` once per reference (see WalletRepository.creditOnce); null when booked before. */
  async creditOnce(manager: EntityManager, credit: Credit): Promise<number | null> {
    const credited = await this.wallets.creditOnce(manager, credit);
    if (!credited) return null;
    await this.notices.afterChange(manager, credit.organizationId, credited.balance);
    return credited.balance;
  }

  /**
   * Takes back credits that left the customer, once per reference; what is gone becomes debt
   * (see WalletRepository.takeBack).
   */
  async takeBack(
    manager: EntityManager,
    debit: Credit,
    fromFrozen = 0,
  ): Promise<{ taken: number; debt: number; balance: number } | null> {
    const result = await this.wallets.takeBack(manager, debit, fromFrozen);
    if (result) await this.notices.afterChange(manager, debit.organizationId, result.balance);
    return result;
  }

  /** Freezes up to `amount` free credits (a dispute opened); returns how many it froze. */
  async freeze(manager: EntityManager, organizationId: string, amount: number): Promise<number> {
    const frozen = await this.wallets.freeze(manager, organizationId, amount);
    await this.notices.afterChange(manager, organizationId);
    return frozen;
  }

  /** Frees frozen credits (a dispute won), paying any debt from them first. */
  async unfreeze(
    manager: EntityManager,
    organizationId: string,
    amount: number,
    reference: string,
  ): Promise<void> {
    const balance = await this.wallets.unfreeze(manager, organizationId, amount, reference);
    await this.notices.afterChange(manager, organizationId, balance);
  }

  /** The organization's credit balance; an organization that never had credits has none. */
  async balanceOf(organizationId: string): Promise<number> {
    return Number((await this.wallets.find(organizationId))?.balance ?? 0);
  }

  creditTotals(): Promise<{ creditsSold: number; creditsUsed: number }> {
    return this.wallets.creditTotals();
  }

  async view(organizationId: string): Promise<WalletDto> {
    const wallet = await this.wallets.find(organizationId);
    const balance = Number(wallet?.balance ?? 0);
    const held = Number(wallet?.held ?? 0);
    const debt = Number(wallet?.debt ?? 0);
    const frozen = Number(wallet?.frozen ?? 0);
    return {
      balance,
      held,
      debt,
      frozen,
      available: Math.max(0, balance - held - debt - frozen),
      lowBalanceThreshold: wallet?.lowBalanceThreshold ? Number(wallet.lowBalanceThreshold) : null,
      updatedAt: wallet?.updatedAt.toISOString() ?? null,
    };
  }

  async ledger(organizationId: string, query: PageQueryDto): Promise<Page<WalletTransactionDto>> {
    const [rows, total] = await this.wallets.transactions(organizationId, {
      limit: query.perPage,
      offset: (query.page - 1) * query.perPage,
    });
    const data = rows.map((row) => ({
      id: row.id,
      type: row.type,
      amount: Number(row.amount),
      balanceAfter: Number(row.balanceAfter),
      reference: row.reference,
      description: row.description,
      createdAt: row.createdAt.toISOString(),
    }));
    return pageOf(data, total, query);
  }

  /** A new threshold; an alert goes out at once if `available` is already below it. */
  async setLowBalanceThreshold(
    organizationId: string,
    threshold: number | null,
  ): Promise<WalletDto> {
    await this.transactions.run(async (manager) => {
      await this.wallets.setLowBalanceThreshold(manager, organizationId, threshold);
      await this.notices.afterChange(manager, organizationId);
    });
    return this.view(organizationId);
  }

  /**
   * An operator's correction: one `adjustment` ledger entry, audited with it. Taking more than
   * is available is 402 INSUFFICIENT_CREDITS, nothing written.
   */
  adjust(
    organizationId: string,
    amount: number,
    audit: AuditContext,
  ): Promise<{ transactionId: string; balance: number }> {
    const reason = audit.metadata?.reason;
    return this.transactions.run(async (manager) => {
      const entry = {
        organizationId,
        amount: Math.abs(amount),
        type: 'adjustment' as const,
        reference: `adjustment:${randomUUID()}`,
        description: typeof reason === 'string' ? reason : 'Adjustment',
      };
      const result =
        amount > 0
          ? await this.wallets.creditOnce(manager, entry)
          : await this.wallets.debitAvailable(manager, entry);
      if (!result) throw insufficientCredits();
      await this.notices.afterChange(manager, organizationId, result.balance);
      await this.auditLog.record(manager, {
        ...audit,
        entityType: 'WALLET',
        entityId: organizationId,
        action: 'ADJUST',
        changes: { balance: { from: result.balance - amount, to: result.balance } },
      });
      return result;
    });
  }
}
