import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../common/errors/index.js';
import { IdempotencyStore } from '../../common/idempotency/idempotency.store.js';
import { TransactionRunner } from '../../database/transaction.runner.js';
import { MetricsService } from '../../metrics/metrics.service.js';
import { EntitlementService } from '../entitlement/entitlement.service.js';
import { UsageService } from '../entitlement/usage.service.js';
import type { ChargeCreditsDto, ChargeResultDto } from './dto/credits.dto.js';
import { WalletNotices } from './wallet-notices.js';
import { WalletRepository } from './wallet.repository.js';

export const insufficientCredits = (): DomainError =>
  new DomainError('INSUFFICIENT_CREDITS', 'Not enough credits available for this amount');

/**
 * Credit charges (DESIGN principle 4): one conditional debit and its ledger row, once per
 * Idempotency-Key. Usage statistics are recorded in the same transaction after the money, behind
 * a savepoint: they are never lost with the process, and their failure never fails the charge.
 */
@Injectable()
export class CreditChargeService {
  private readonly logger = new Logger(CreditChargeService.name);

  constructor(
    private readonly wallets: WalletRepository,
    private readonly entitlements: EntitlementService,
    private readonly usage: UsageService,
    private readonly idempotency: IdempotencyStore,
    private readonly notices: WalletNotices,
    private readonly transactions: TransactionRunner,
    private readonly metrics: MetricsService,
  ) {}

  async charge(
    organizationId: string,
    key: string,
    input: ChargeCreditsDto,
  ): Promise<ChargeResultDto> {
    await this.entitlements.requireEnabled(organizationId, input.feature);
    const request = { organizationId, key, route: 'POST /credits/charge', body: input };
    const { result, replayed } = await this.transactions.run(async (manager) => {
      const earlier = await this.idempotency.claim<ChargeResultDto>(manager, request);
      if (earlier) return { result: earlier, replayed: true };
      const debited = await this.wallets.debitAvailable(manager, {
        organizationId,
        amount: input.amount,
        type: 'usage',
        reference: `charge:${key}`,
        description: input.description ?? `Charge for ${input.feature}`,
      });
      if (!debited) throw insufficientCredits();
      const charged = { ...debited, charged: input.amount };
      const recorded = await this.usage.addToDailyTotal(manager, organizationId, {
        feature: input.feature,
        model: input.model ?? null,
        quantity: input.amount,
      });
      if (!recorded) this.usageNotRecorded(organizationId, input.feature);
      await this.notices.afterChange(manager, organizationId, debited.balance);
      await this.idempotency.complete(manager, request, 200, charged);
      return { result: charged, replayed: false };
    });
    if (!replayed) this.metrics.creditsCharged.inc({ feature: input.feature }, input.amount);
    return result;
  }

  private usageNotRecorded(organizationId: string, feature: string): void {
    this.metrics.usageRecordingFailures.inc();
    this.logger.error(
      { organizationId, feature },
      'Recording the usage of a charge failed; the charge stands',
    );
  }
}
