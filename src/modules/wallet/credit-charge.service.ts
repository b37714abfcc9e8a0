import { Injectable, Logger } from '@nestjs/common';
import { BackgroundWork } from '../../common/background-work.js';
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
 * Idempotency-Key. Usage statistics are recorded after the money, off the request path, and
 * never fail the charge.
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
    private readonly background: BackgroundWork,
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
      await this.notices.afterChange(manager, organizationId, debited.balance);
      await this.idempotency.complete(manager, request, 200, charged);
      return { result: charged, replayed: false };
    });
    if (!replayed) {
      this.metrics.creditsCharged.inc({ feature: input.feature }, input.amount);
      this.background.run('usage statistics of a charge', () =>
        this.recordUsage(organizationId, input),
      );
    }
    return result;
  }

  private async recordUsage(organizationId: string, input: ChargeCreditsDto): Promise<void> {
    try {
      await this.usage.addToDailyTotal(organizationId, {
        feature: input.feature,
        model: input.model ?? null,
        quantity: input.amount,
      });
    } catch (error) {
      this.metrics.usageRecordingFailures.inc();
      this.logger.error(
        { err: error, organizationId, feature: input.feature },
        'Recording the usage of a charge failed; the charge stands',
      );
    }
  }
}
